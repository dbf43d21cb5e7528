import { errorCodes } from 'fastify';
import { FASTIFY_REQUEST_ERRORS, MALFORMED_JSON, requestErrorMessage } from './request-errors';

describe('requestErrorMessage', () => {
  it("knows the installed Fastify's texts for the body errors, with their statuses", () => {
    const cases: [keyof typeof errorCodes, number][] = [
      ['FST_ERR_CTP_INVALID_JSON_BODY', 400],
      ['FST_ERR_CTP_EMPTY_JSON_BODY', 400],
      ['FST_ERR_CTP_BODY_TOO_LARGE', 413],
      ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415],
      ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400],
    ];
    for (const [code, status] of cases) {
      const error = new (errorCodes[code] as unknown as new () => Error & { statusCode: number })();
      expect(error.statusCode).toBe(status);
      expect(FASTIFY_REQUEST_ERRORS[error.message]).toMatch(/^body: /);
    }
    expect(requestErrorMessage("Body is not valid JSON but content-type is set to 'application/json'", 400)).toBe(
      MALFORMED_JSON,
    );
  });

  it('never repeats an unknown text, which may quote the request', () => {
    const badUrl = new (errorCodes.FST_ERR_BAD_URL as unknown as new (url: string) => Error)(
      '/api/%zz-620422194501010017',
    );
    expect(requestErrorMessage(badUrl.message, 400)).toBe('Bad request');
    expect(requestErrorMessage('something new', 413)).toBe('body: too large');
    expect(requestErrorMessage('something new', 415)).toMatch(/application\/json/);
  });
});
