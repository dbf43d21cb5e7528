/**
 * The error code an answer carried, tagged on the request by the one exception filter so that request metrics can
 * count errors by code without a second mapping of exceptions to codes. A symbol: it never reaches a log or a body.
 */
const ERROR_CODE = Symbol('care:errorCode');

export function tagErrorCode(request: object, code: string): void {
  (request as { [ERROR_CODE]?: string })[ERROR_CODE] = code;
}

export function errorCodeOf(request: object): string | undefined {
  return (request as { [ERROR_CODE]?: string })[ERROR_CODE];
}
