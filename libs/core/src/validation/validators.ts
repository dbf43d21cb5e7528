/**
 * The request validators every library shares: path ids, and the DTO field shapes the contract uses for time
 * (an instant with its offset, a county date, a time of day, a month). Each names the offending field, so a bad
 * value is 400 VALIDATION_FAILED "field: reason" (through the global pipe, libs/core/src/http/validation.ts).
 */
import { ParseUUIDPipe } from '@nestjs/common';
import { Matches, ValidateBy, type ValidationArguments } from 'class-validator';
import { InvalidInputError } from '../errors';
import { isCalendarDate, isHHMM, MONTH_PATTERN } from '../time';

/** A path id that must be a UUID: a malformed one is 400 naming the parameter (never a 500, never a query). */
export const uuidParam = (name: string): ParseUUIDPipe =>
  new ParseUUIDPipe({ exceptionFactory: () => new InvalidInputError(`${name}: must be a UUID`) });

/** An ISO-8601 date-time with an offset or Z: 2026-12-01T09:00:00+08:00 (a bare date or local time is ambiguous). */
export const OFFSET_DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export const OFFSET_DATE_TIME_MESSAGE = 'must be an ISO-8601 date-time with an offset, e.g. 2026-12-01T09:00:00+08:00';

/** Whether a value is an instant with its offset that names a real time (2026-02-30T… is not). */
export function isOffsetDateTime(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    OFFSET_DATE_TIME_PATTERN.test(value) &&
    isCalendarDate(value.slice(0, 10)) &&
    !Number.isNaN(Date.parse(value))
  );
}

const message = (reason: string) => (args: ValidationArguments) => `${args.property} ${reason}`;

/** A DTO field decorator: a string that passes `test`, else "field reason". */
const stringRule = (name: string, test: (value: string) => boolean, reason: string) => () =>
  ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => typeof value === 'string' && test(value),
      defaultMessage: message(reason),
    },
  });

/** DTO field: an instant with its offset ({@link OFFSET_DATE_TIME_PATTERN}) that exists. */
export const IsOffsetDateTime = stringRule('isOffsetDateTime', isOffsetDateTime, OFFSET_DATE_TIME_MESSAGE);

/** DTO field: a calendar date YYYY-MM-DD that exists (2026-02-30 does not). */
export const IsCalendarDate = stringRule('isCalendarDate', isCalendarDate, 'must be a real date YYYY-MM-DD');

/** DTO field: a county-local time of day "HH:MM" (00:00–24:00). */
export const IsTimeOfDay = stringRule('isTimeOfDay', isHHMM, 'must be a time of day HH:MM');

/** DTO field: a month YYYY-MM. */
export const IsMonth = () => Matches(MONTH_PATTERN, { message: message('must be a month YYYY-MM') });

/** DTO field: a text with something besides white space. */
export const IsNotBlank = () => Matches(/\S/, { message: message('must not be blank') });

/** Region codes are digits: the county has 6, a township 9, up to 12. Whether the region is known is a service's check. */
export const REGION_CODE_PATTERN = /^\d{6,12}$/;

/** DTO field: a region code ({@link REGION_CODE_PATTERN}). */
export const IsRegionCode = () =>
  Matches(REGION_CODE_PATTERN, { message: message('must be a region code (6 to 12 digits)') });

/**
 * DTO field: an ID number as typed (18 characters, surrounding blanks allowed); its check digit and birth date are
 * the residents' ID-number rule's.
 */
export const IsIdNumberInput = () =>
  Matches(/^\s*\d{17}[\dXx]\s*$/, {
    message: message('must be all 18 characters: 17 digits followed by a digit or X'),
  });
