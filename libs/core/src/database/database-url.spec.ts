import { databaseUrlProblems, loadConfig } from '../config/app-config';
import { redactUrl } from '../config/redact';
import { parseRedisClusterUrl } from '../queue/redis';
import { databaseNameOf, withDatabase } from './data-source-options';
import { databaseNodeUrls, databaseNodes, mapDatabaseUrl } from './database-url';

describe('DATABASE_URL with several nodes (a Galera cluster)', () => {
  const cluster = 'mysql://care:s3cret@10.0.0.1:3306,10.0.0.2:3307,db3/care?ssl=false';

  it('gives each node a plain URL sharing the credentials, database and parameters', () => {
    expect(databaseNodeUrls(cluster)).toEqual([
      'mysql://care:s3cret@10.0.0.1:3306/care?ssl=false',
      'mysql://care:s3cret@10.0.0.2:3307/care?ssl=false',
      'mysql://care:s3cret@db3/care?ssl=false',
    ]);
    expect(databaseNodes(cluster)).toEqual([
      { host: '10.0.0.1', port: 3306 },
      { host: '10.0.0.2', port: 3307 },
      { host: 'db3', port: 3306 },
    ]);
  });

  it('keeps a single-node URL as it is', () => {
    expect(databaseNodeUrls('mysql://root:@127.0.0.1:3306/care')).toEqual(['mysql://root:@127.0.0.1:3306/care']);
    expect(withDatabase('mysql://root:@127.0.0.1:3306/', 'x')).toBe('mysql://root@127.0.0.1:3306/x');
  });

  it('names and changes the database of every node, keeping the host list', () => {
    expect(databaseNameOf(cluster)).toBe('care');
    expect(withDatabase(cluster, 'other')).toBe('mysql://care:s3cret@10.0.0.1:3306,10.0.0.2:3307,db3/other?ssl=false');
    expect(mapDatabaseUrl(cluster, (node) => (node.pathname = '/'))).toBe(
      'mysql://care:s3cret@10.0.0.1:3306,10.0.0.2:3307,db3/?ssl=false',
    );
  });

  it('refuses an empty host, a bad port or another scheme, naming the variable', () => {
    expect(databaseUrlProblems('mysql://root:@h1:3306,,h3:3306/care')).toEqual([
      'DATABASE_URL has an empty host in its host list',
    ]);
    expect(databaseUrlProblems('mysql://root:@h1:3306,h2:port/care')[0]).toMatch(/DATABASE_URL: "h2:port"/);
    expect(databaseUrlProblems('postgres://root:@h1,h2/care')[0]).toMatch(/DATABASE_URL must use mysql:/);
    expect(databaseUrlProblems('not a url')[0]).toMatch(/DATABASE_URL/);
    expect(() => loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'mysql://root:@h1:1,h2:x/care' })).toThrow(
      /DATABASE_URL: "h2:x"/,
    );
    expect(loadConfig({ NODE_ENV: 'test', DATABASE_URL: cluster }).databaseUrl).toBe(cluster);
  });

  it('redacts the password of a host list', () => {
    expect(redactUrl(cluster)).toBe('mysql://care:***@10.0.0.1:3306,10.0.0.2:3307,db3/care?ssl=false');
    expect(redactUrl('mysql://root:@h1:3306,h2:3306/care')).toBe('mysql://root:@h1:3306,h2:3306/care');
    expect(redactUrl('redis+cluster://:pw@h1:7001,h2:7002')).toBe('redis+cluster://:***@h1:7001,h2:7002');
  });
});

describe('REDIS_URL naming a Redis Cluster', () => {
  it('lists the seed nodes and credentials', () => {
    expect(parseRedisClusterUrl('redis+cluster://u:p%40ss@127.0.0.1:7001,127.0.0.1:7002/')).toEqual({
      nodes: [
        { host: '127.0.0.1', port: 7001 },
        { host: '127.0.0.1', port: 7002 },
      ],
      username: 'u',
      password: 'p@ss',
      tls: false,
    });
    expect(parseRedisClusterUrl('rediss+cluster://h:7001').tls).toBe(true);
  });

  it('refuses a node without a port, and a queue prefix that is no hash tag', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', REDIS_URL: 'redis+cluster://h1:7001,h2' })).toThrow(
      /REDIS_URL: "h2" is not host:port/,
    );
    expect(() => loadConfig({ NODE_ENV: 'test', REDIS_URL: 'redis+cluster://h1:7001', QUEUE_PREFIX: 'care:' })).toThrow(
      /QUEUE_PREFIX must start with a hash tag/,
    );
    expect(loadConfig({ NODE_ENV: 'test', REDIS_URL: 'redis+cluster://h1:7001,h2:7002' }).redisUrl).toBe(
      'redis+cluster://h1:7001,h2:7002',
    );
  });
});
