import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from './domain-error';
import { asServiceUnavailable } from './outage';
import { isDuplicateKeyError, isLockError } from '../database/mysql-errors';
import { serializeError } from '../logging/logger';

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
 * Nest's HttpExceptions (validation, body parser) keep their status; anything else is a 500 that
 * names only the request id, never internals.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const response = ctx.getResponse<Response>();
    const request = ctx.getRequest<Request & { id?: string }>();
    const body = this.toBody(exception);
    body.requestId = request.id;
    if (body.code === 'SERVICE_UNAVAILABLE') {
      // expected during an outage: one line per request, the driver's code but not its words
      this.logger.warn({ err: serializeError(exception), requestId: request.id, path: request.path }, 'service unavailable');
    } else if (body.statusCode >= 500) {
      // through the error serializer: no SQL text, parameters or driver error objects
      this.logger.error({ err: serializeError(exception), requestId: request.id, path: request.path }, 'unhandled error');
    }
    if (response.headersSent) return;
    if (exception instanceof DomainError && exception.retryAfterSeconds !== undefined) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    response.status(body.statusCode).json(body);
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
      if (typeof raw === 'object' && raw !== null) {
        const r = raw as { message?: unknown; code?: unknown };
        if (Array.isArray(r.message)) message = r.message.join('; ');
        else if (typeof r.message === 'string') message = r.message;
        if (typeof r.code === 'string') code = r.code;
      }
      // express's body parser reports malformed JSON as a 400 HttpException-like error
      return { statusCode: status, code, message };
    }
    const maybe = exception as { type?: string; status?: number; message?: string };
    if (maybe?.type === 'entity.parse.failed') {
      return { statusCode: 400, code: 'VALIDATION_FAILED', message: 'body: malformed JSON' };
    }
    if (maybe?.type === 'entity.too.large') {
      return { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'body: too large' };
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
