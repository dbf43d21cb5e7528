import { BlockList, isIP } from 'node:net';

/**
 * Whether a client address is on the configured list (METRICS_ALLOW: addresses and CIDR ranges, validated by the
 * config). An IPv4 client seen through a dual-stack socket (`::ffff:10.1.2.3`) matches IPv4 entries.
 */
export function addressAllowList(entries: readonly string[]): (address: string | undefined) => boolean {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (raw) => {
    if (!raw) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(raw);
    const address = mapped ? mapped[1] : raw;
    const family = isIP(address);
    if (family === 0) return false;
    return list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}
