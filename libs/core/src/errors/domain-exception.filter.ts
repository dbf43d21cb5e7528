import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from './domain-error';
import { tagErrorCode } from './error-tag';
import { asServiceUnavailable } from './outage';
import { isDuplicateKeyError, isLockError } from '../database/mysql-errors';
import { serializeError } from '../logging/logger';
import { redactRequestUrl } from '../config/redact';
import { MALFORMED_JSON, requestErrorMessage } from './request-errors';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  requestId?: string;
}

const HTTP_CODES: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * The one place where errors become HTTP. Domain errors carry their own status and code;
 * Nest's HttpExceptions (validation) and Fastify's body errors keep their status; anything else is a 500 that
 * names only the request id, never internals.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const response = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const body = this.toBody(exception);
    body.requestId = request.id;
    tagErrorCode(request, body.code);
    if (body.code === 'SERVICE_UNAVAILABLE') {
      // expected during an outage: one line per request, the driver's code but not its words
      this.logger.warn(
        { err: serializeError(exception), requestId: request.id, path: pathOf(request) },
        'service unavailable',
      );
    } else if (body.statusCode >= 500) {
      // through the error serializer: no SQL text, parameters or driver error objects
      this.logger.error(
        { err: serializeError(exception), requestId: request.id, path: pathOf(request) },
        'unhandled error',
      );
    }
    if (response.sent || response.raw.headersSent) return;
    if (exception instanceof DomainError && exception.retryAfterSeconds !== undefined) {
      response.header('Retry-After', String(exception.retryAfterSeconds));
    }
    response.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown): ErrorBody {
    const unavailable = asServiceUnavailable(exception);
    if (unavailable) return { statusCode: unavailable.status, code: unavailable.code, message: unavailable.message };
    if (exception instanceof DomainError) {
      return { statusCode: exception.status, code: exception.code, message: exception.message };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      let message = exception.message;
      let code = HTTP_CODES[status] ?? `HTTP_${status}`;
      // Nest re-throws Fastify's own request errors (body parsing, before any route runs) as HttpException(text)
      if (typeof raw === 'string') return { statusCode: status, code, message: requestErrorMessage(raw, status) };
      if (typeof raw === 'object' && raw !== null) {
        const r = raw as { message?: unknown; code?: unknown };
        if (Array.isArray(r.message)) message = r.message.join('; ');
        else if (typeof r.message === 'string') message = r.message;
        if (typeof r.code === 'string') code = r.code;
      }
      return { statusCode: status, code, message };
    }
    // the JSON parser's SyntaxError reaches the filter as it is, marked 400 (its text quotes the body: never sent)
    if (exception instanceof SyntaxError && (exception as { statusCode?: unknown }).statusCode === 400) {
      return { statusCode: 400, code: 'VALIDATION_FAILED', message: MALFORMED_JSON };
    }
    if (isDuplicateKeyError(exception)) {
      return { statusCode: 409, code: 'CONFLICT', message: 'A concurrent change conflicts with this request; retry' };
    }
    if (isLockError(exception)) {
      return { statusCode: 503, code: 'BUSY', message: 'The record is busy; retry shortly' };
    }
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL', message: 'Internal error' };
  }
}

/** The route's pattern when one matched (no ids, no query), else the URL with personal query values redacted. */
function pathOf(request: FastifyRequest): string {
  return request.routeOptions?.url ?? redactRequestUrl(request.url.split('?')[0]);
}
