/**
 * Typed domain errors. Services throw these; the one exception filter maps them to
 * `{ statusCode, code, message }` at the HTTP edge. Codes are the contract's stable strings.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** When set, the answer carries `Retry-After: <seconds>` (429 TOO_MANY_ATTEMPTS, 503 SERVICE_UNAVAILABLE). */
  readonly retryAfterSeconds?: number;
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: input that passed DTO validation but breaks a rule only the domain knows (e.g. an ID check digit). */
export class InvalidInputError extends DomainError {
  readonly status = 400;
  constructor(message: string, code = 'VALIDATION_FAILED', details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

/** 404: also used for resources outside the caller's facilities, so their existence is not revealed. */
export class NotFoundError extends DomainError {
  readonly status = 404;
  constructor(what: string, id?: string) {
    super('NOT_FOUND', id === undefined ? `${what} not found` : `${what} ${id} not found`);
  }
}

export class ConflictError extends DomainError {
  readonly status = 409;
}

export class UnprocessableError extends DomainError {
  readonly status = 422;
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  constructor(message = 'Your role may not do this') {
    super('FORBIDDEN', message);
  }
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  constructor(message = 'Missing or invalid credentials') {
    super('UNAUTHORIZED', message);
  }
}

/** 409 INVALID_TRANSITION: a status change the transitions table does not allow. */
export class InvalidTransitionError extends ConflictError {
  constructor(entity: string, from: string, action: string) {
    super('INVALID_TRANSITION', `${entity} in status "${from}" does not allow "${action}"`, { from, action });
  }
}

/**
 * 503 SERVICE_UNAVAILABLE: MariaDB or Redis cannot be reached (or did not answer in time). The message names the
 * service only, never the driver's words (they may carry SQL, hosts or values).
 */
export class ServiceUnavailableError extends DomainError {
  readonly status = 503;
  constructor(readonly service: 'database' | 'redis') {
    super(
      'SERVICE_UNAVAILABLE',
      `The ${service === 'database' ? 'database' : 'job queue'} is unavailable; retry shortly`,
    );
  }
}
