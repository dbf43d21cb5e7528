/**
 * Validity of an assessment: `validUntil = assessedAt + interval months` (routine reassessment interval,
 * 12 by default, configurable). Month arithmetic runs on the county's wall clock (Asia/Shanghai, UTC+8 all year,
 * no daylight saving), so an assessment made on 15 March at 10:00 is valid until 15 March next year at 10:00.
 * A day that does not exist in the target month falls back to the month's last day (31 Jan + 1 month → 28/29 Feb).
 */
import { addMonthsCountyTime, DAY_MS } from '@care/core/time';

export const DEFAULT_VALIDITY_MONTHS = 12;
/** An assessment that expires within this many days is "due" for reassessment. */
export const DEFAULT_DUE_WITHIN_DAYS = 30;

export function validUntil(assessedAt: Date, intervalMonths = DEFAULT_VALIDITY_MONTHS): Date {
  if (intervalMonths < 1) throw new RangeError(`interval must be at least 1 month, got ${intervalMonths}`);
  return addMonthsCountyTime(assessedAt, intervalMonths);
}

/** An assessment is valid from its assessment time up to, not including, `validUntil`. */
export function isValidAt(assessment: { assessedAt: Date; validUntil: Date }, at: Date): boolean {
  return assessment.assessedAt.getTime() <= at.getTime() && at.getTime() < assessment.validUntil.getTime();
}

export type ValidityStatus = 'valid' | 'due' | 'expired';

/** `expired` once `validUntil` has passed; `due` when it passes within `dueWithinDays`; otherwise `valid`. */
export function validityStatus(validUntilAt: Date, at: Date, dueWithinDays = DEFAULT_DUE_WITHIN_DAYS): ValidityStatus {
  const left = validUntilAt.getTime() - at.getTime();
  if (left <= 0) return 'expired';
  if (left <= dueWithinDays * DAY_MS) return 'due';
  return 'valid';
}
