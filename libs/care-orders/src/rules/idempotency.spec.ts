import { canonicalJson, isIdempotencyKeyExpired, isValidIdempotencyKey, requestHash } from './idempotency';

describe('idempotency', () => {
  it('canonical JSON sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson([undefined, null, 'x'])).toBe('[null,null,"x"]');
  });

  it('the same request hashes the same whatever the key order; any other value differs', () => {
    const a = requestHash('POST /care-orders', { residentId: 'r', services: ['a', 'b'], notes: undefined });
    expect(requestHash('POST /care-orders', { services: ['a', 'b'], residentId: 'r' })).toBe(a);
    expect(requestHash('POST /care-orders', { services: ['b', 'a'], residentId: 'r' })).not.toBe(a);
    expect(requestHash('POST /other', { services: ['a', 'b'], residentId: 'r' })).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keys are 1–255 printable ASCII characters', () => {
    expect(isValidIdempotencyKey('order-2026-12-01-ab12')).toBe(true);
    expect(isValidIdempotencyKey('x'.repeat(255))).toBe(true);
    expect(isValidIdempotencyKey('x'.repeat(256))).toBe(false);
    expect(isValidIdempotencyKey('')).toBe(false);
    expect(isValidIdempotencyKey('with space')).toBe(false);
    expect(isValidIdempotencyKey('键')).toBe(false);
  });
});

describe('isIdempotencyKeyExpired', () => {
  const stored = new Date('2026-11-30T08:00:00Z');
  it('a key names its request for 24 hours, not a millisecond longer', () => {
    expect(isIdempotencyKeyExpired(stored, new Date('2026-12-01T07:59:59.999Z'))).toBe(false);
    expect(isIdempotencyKeyExpired(stored, new Date('2026-12-01T08:00:00Z'))).toBe(true);
  });
});
