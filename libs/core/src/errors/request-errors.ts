/** The answer's message for a body that is not JSON at all. */
export const MALFORMED_JSON = 'body: malformed JSON';

/**
 * Fastify's texts for the request errors it raises before any route runs, and what we answer instead. Nest hands
 * them to the exception filter as HttpException(text, status), without Fastify's code, so the text is the key
 * (request-errors.spec.ts checks these against the installed Fastify's own errors).
 */
export const FASTIFY_REQUEST_ERRORS: Readonly<Record<string, string>> = {
  "Body is not valid JSON but content-type is set to 'application/json'": MALFORMED_JSON,
  "Body cannot be empty when content-type is set to 'application/json'": 'body: empty, but Content-Type says JSON',
  'Request body is too large': 'body: too large',
  'Unsupported Media Type': 'body: unsupported Content-Type (send application/json)',
  'Request body size did not match Content-Length': 'body: length does not match Content-Length',
};

/** By status, for a text not in the table: Fastify's other texts may quote the request (a bad URL), so never sent. */
const BY_STATUS: Readonly<Record<number, string>> = {
  413: 'body: too large',
  415: 'body: unsupported Content-Type (send application/json)',
};

/** What the answer says for a framework request error with this text and status. */
export function requestErrorMessage(text: string, status: number): string {
  return FASTIFY_REQUEST_ERRORS[text] ?? BY_STATUS[status] ?? (status >= 500 ? 'Internal error' : 'Bad request');
}
