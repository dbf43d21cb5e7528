import { VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  const claims = (exp?: number) => ({ sub: 'u1', exp });

  it('answers a token verified before until its exp, and forgets it from then on', () => {
    const cache = new VerifiedTokens<{ sub: string; exp?: number }>(10);
    cache.set('t1', claims(1000));
    expect(cache.get('t1', 999_999)).toEqual(claims(1000));
    // jsonwebtoken refuses a token when now >= exp (seconds): the same instant
    expect(cache.get('t1', 1_000_000)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.get('t2', 0)).toBeUndefined();
  });

  it('never keeps a token without exp', () => {
    const cache = new VerifiedTokens<{ sub: string; exp?: number }>(10);
    cache.set('t1', claims(undefined));
    expect(cache.get('t1', 0)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps at most max tokens, dropping the oldest', () => {
    const cache = new VerifiedTokens<{ sub: string; exp?: number }>(2);
    cache.set('a', claims(10));
    cache.set('b', claims(10));
    cache.set('a', claims(10)); // already there: nothing dropped
    expect(cache.size).toBe(2);
    cache.set('c', claims(10));
    expect(cache.size).toBe(2);
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.get('b', 0)).toBeDefined();
    expect(cache.get('c', 0)).toBeDefined();
  });
});
