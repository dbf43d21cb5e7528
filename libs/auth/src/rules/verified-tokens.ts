/**
 * Bearer tokens whose signature was verified lately, with their claims, so that a client sending the same token
 * again is not verified again (HMAC, base64 and JSON parsing, jsonwebtoken's option checks: about 10–30 µs of CPU per
 * request). It only spares the signature check: a hit is refused once the token's `exp` has passed, exactly when
 * verifying it would refuse it, and the caller still checks the user (active, role, token version) on every request.
 * Keyed by the whole token, so only a token that verified can ever hit. Bounded: beyond `max` entries the oldest
 * goes. A process signs with one secret for its lifetime (rotating JWT_SECRET is a restart), so nothing else can
 * make a verified token invalid.
 */
export class VerifiedTokens<C extends { exp?: number }> {
  private readonly entries = new Map<string, C>();

  constructor(private readonly max: number) {}

  /** The claims of a token verified before and not expired at `nowMs`, else undefined (a miss: verify it). */
  get(token: string, nowMs: number): C | undefined {
    const claims = this.entries.get(token);
    if (claims === undefined) return undefined;
    if (claims.exp === undefined || nowMs >= claims.exp * 1000) {
      this.entries.delete(token);
      return undefined;
    }
    return claims;
  }

  /** Remembers a token that just verified (one without `exp` is never kept: it would never be checked again). */
  set(token: string, claims: C): void {
    if (claims.exp === undefined) return;
    if (this.entries.size >= this.max && !this.entries.has(token)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, claims);
  }

  get size(): number {
    return this.entries.size;
  }
}
