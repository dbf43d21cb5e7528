import { addressAllowList } from './address-allow-list';

describe('addressAllowList', () => {
  it('allows nobody when the list is empty', () => {
    const allowed = addressAllowList([]);
    expect(allowed('127.0.0.1')).toBe(false);
    expect(allowed(undefined)).toBe(false);
  });

  it('matches single addresses and CIDR ranges of both families', () => {
    const allowed = addressAllowList(['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8']);
    expect(allowed('10.200.3.4')).toBe(true);
    expect(allowed('11.0.0.1')).toBe(false);
    expect(allowed('192.168.1.7')).toBe(true);
    expect(allowed('192.168.1.8')).toBe(false);
    expect(allowed('::1')).toBe(true);
    expect(allowed('fd12::5')).toBe(true);
    expect(allowed('fe80::1')).toBe(false);
  });

  it('matches an IPv4 client seen as an IPv4-mapped IPv6 address, and refuses what is not an address', () => {
    const allowed = addressAllowList(['127.0.0.1']);
    expect(allowed('::ffff:127.0.0.1')).toBe(true);
    expect(allowed('::ffff:127.0.0.2')).toBe(false);
    expect(allowed('localhost')).toBe(false);
    expect(allowed('')).toBe(false);
  });
});
