/**
 * DATABASE_URL may name several database nodes — the nodes of one Galera cluster — as a comma-separated host list:
 *
 *   mysql://user:password@10.0.0.1:3306,10.0.0.2:3306,10.0.0.3:3306/care
 *
 * A process talks to one node at a time (the first, at start), and moves to the next when a connection to its node
 * fails or the node says it is not part of the cluster's primary component (WSREP not ready): see guarded-pool.ts.
 * Everything else (user, password, database, query parameters) is shared by the nodes. A single host is the usual
 * URL. WHATWG's URL parser refuses a host list, so the list is taken apart here and each node gets a plain URL.
 */
export interface DatabaseNode {
  host: string;
  port: number;
}

const SHAPE = /^([a-z][a-z0-9+.-]*:)\/\/([^@/?#]*@)?([^/?#]*)(.*)$/i;

/** One plain URL per node, in the order given. Throws (with a message naming the problem) when it is not one. */
export function databaseNodeUrls(url: string): string[] {
  const match = SHAPE.exec(url.trim());
  if (!match) throw new Error('DATABASE_URL is not a valid URL');
  const [, protocol, userinfo = '', hostList, rest] = match;
  const hosts = hostList.split(',').map((h) => h.trim());
  if (hosts.some((h) => h === '')) throw new Error('DATABASE_URL has an empty host in its host list');
  return hosts.map((host) => {
    const nodeUrl = `${protocol}//${userinfo}${host}${rest}`;
    try {
      new URL(nodeUrl);
    } catch {
      throw new Error(`DATABASE_URL: "${host}" is not a host or host:port`);
    }
    return nodeUrl;
  });
}

/** Host and port of every node (port 3306 when not given). */
export function databaseNodes(url: string): DatabaseNode[] {
  return databaseNodeUrls(url).map((nodeUrl) => {
    const parsed = new URL(nodeUrl);
    return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port || 3306) };
  });
}

/**
 * The URL with `change` applied to every node's URL (same database, parameters, password for all): `change` gets
 * a WHATWG URL of one node. The host list is kept.
 */
export function mapDatabaseUrl(url: string, change: (node: URL) => void): string {
  const urls = databaseNodeUrls(url).map((nodeUrl) => {
    const parsed = new URL(nodeUrl);
    change(parsed);
    return parsed.toString();
  });
  if (urls.length === 1) return urls[0];
  const hosts = urls.map((u) => SHAPE.exec(u)![3]);
  const first = SHAPE.exec(urls[0])!;
  return `${first[1]}//${first[2] ?? ''}${hosts.join(',')}${first[4]}`;
}
