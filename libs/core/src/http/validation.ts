import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/** Flattens nested class-validator errors into "path: reason" lines, one per offending field. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      for (const message of Object.values(error.constraints)) {
        // class-validator prefixes messages with the property name; keep the full path instead
        const reason = message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message;
        lines.push(`${path}: ${reason}`);
      }
    }
    if (error.children?.length) lines.push(...flattenValidationErrors(error.children, path));
  }
  return lines;
}

/**
 * Global validation: unknown fields are rejected, every offending field is named, and the body is
 * 400 VALIDATION_FAILED as the contract says.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      new BadRequestException({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: flattenValidationErrors(errors).join('; ') || 'Invalid input',
      }),
  });
}
