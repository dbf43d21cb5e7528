/**
 * Idempotency-Key semantics (as Stripe's): a key names one request of one user. The same key with the same
 * request replays the first result; with another request it is refused (409 IDEMPOTENCY_KEY_REUSED).
 * Requests are compared by a hash of their canonical JSON (object keys sorted), so key order and
 * whitespace do not matter, but any value does. A key lives 24 hours (Stripe's too): after that the same key is
 * a new request, and the hourly PruneIdempotencyKeys job deletes it.
 */
import { createHash } from 'node:crypto';

/** Printable ASCII, 1–255 characters (Stripe allows up to 255). */
const KEY = /^[\x21-\x7e]{1,255}$/;

/** How long a key names its request. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 3600_000;

/** Whether a key stored at `createdAt` has outlived its lifetime at `now`. */
export function isIdempotencyKeyExpired(createdAt: Date, now: Date): boolean {
  return now.getTime() - createdAt.getTime() >= IDEMPOTENCY_KEY_LIFETIME_MS;
}

export function isValidIdempotencyKey(key: string): boolean {
  return KEY.test(key);
}

/** JSON with object keys sorted at every level; undefined members dropped (as JSON does). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}

/** sha256 (hex) of the endpoint and the canonical body. */
export function requestHash(endpoint: string, body: unknown): string {
  return createHash('sha256').update(endpoint).update('\n').update(canonicalJson(body)).digest('hex');
}
