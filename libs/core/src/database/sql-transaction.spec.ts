import { isGaleraAnswer } from './sql-transaction';

describe('isGaleraAnswer (SELECT @@wsrep_on on a new hot-pool connection)', () => {
  it('says Galera only for a node with wsrep on', () => {
    expect(isGaleraAnswer(null, [{ wsrep_on: 1 }])).toBe(true);
    expect(isGaleraAnswer(null, [{ wsrep_on: '1' }])).toBe(true);
    expect(isGaleraAnswer(null, [{ wsrep_on: 'ON' }])).toBe(true);
    // MariaDB built with wsrep, not in a cluster
    expect(isGaleraAnswer(null, [{ wsrep_on: 0 }])).toBe(false);
    expect(isGaleraAnswer(null, [{ wsrep_on: 'OFF' }])).toBe(false);
  });

  it('takes an unknown variable (MySQL 8, TiDB) for a single node, and any other failure for Galera (the safe side)', () => {
    expect(isGaleraAnswer({ code: 'ER_UNKNOWN_SYSTEM_VARIABLE' }, undefined)).toBe(false);
    expect(isGaleraAnswer({ code: 'PROTOCOL_CONNECTION_LOST' }, undefined)).toBe(true);
    expect(isGaleraAnswer({ code: 'ER_STATEMENT_TIMEOUT' }, undefined)).toBe(true);
  });
});
