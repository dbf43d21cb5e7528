import { applyDecorators } from '@nestjs/common';
import { IsString, Matches } from 'class-validator';

/** An ISO-8601 date-time with an offset or Z (a bare date or a local time would be ambiguous). */
export const IsOffsetDateTime = () =>
  applyDecorators(
    IsString(),
    Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/, {
      message: '$property must be an ISO-8601 date-time with an offset, e.g. 2026-12-01T09:00:00+08:00',
    }),
  );

/** A calendar date YYYY-MM-DD that exists. */
export const IsCalendarDate = () =>
  applyDecorators(
    IsString(),
    Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: '$property must be a date YYYY-MM-DD' }),
  );

export function isRealDate(value: string): boolean {
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

export const HHMM_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
