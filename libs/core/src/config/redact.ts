import { maskIdNumbersIn } from '../privacy/id-number-mask';

/** A connection URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    // a host list (a cluster: mysql://u:p@h1:3306,h2:3306/db, redis+cluster://h1:7001,h2:7002) is no WHATWG URL
    const list = /^([a-z][a-z0-9+.-]*:\/\/)(?:([^:@/]*)(:[^@/]*)?@)?([^/?#@]*,[^@]*)$/i.exec(url);
    if (list) {
      const [, scheme, user, password, rest] = list;
      const credentials =
        user === undefined ? '' : `${user}${password && password !== ':' ? ':***' : (password ?? '')}@`;
      return `${scheme}${credentials}${rest}`;
    }
    return '(unparseable URL)';
  }
}

/**
 * Query parameters whose values are personal or secret: free-text search (`q`, a name or an ID number), the ID
 * number itself, names, phones, addresses, and tokens (the queue board's `?token=`). Case-insensitive.
 */
export const REDACTED_QUERY_PARAMS = [
  'q',
  'search',
  'idnumber',
  'id_number',
  'name',
  'phone',
  'address',
  'token',
  'access_token',
  'password',
];

/**
 * A request URL fit for a log line: the values of REDACTED_QUERY_PARAMS replaced by `[redacted]`, and any
 * 18-character ID number left elsewhere (a path) masked by the one rule (privacy/id-number-mask.ts).
 */
export function redactRequestUrl(url: string): string {
  const names = REDACTED_QUERY_PARAMS.map((name) => name.replace(/[^a-z_]/g, '')).join('|');
  return maskIdNumbersIn(url.replace(new RegExp(`([?&](?:${names})(?:%5B%5D|\\[\\])?=)[^&#]*`, 'gi'), '$1[redacted]'));
}
