/**
 * The monthly visit plan (domain.md §5): three visits a month for every eligible elder living at home, one
 * in each third of the month (days 1–10, 11–20, 21–end), window 09:00–17:00 county time, each with
 * health_check and safety_check plus one of home_cleaning, personal_hygiene, laundry in rotation.
 *
 * A visit's window runs from 09:00 on the first day of its third to 17:00 on the last day, so dispatch may
 * place it on any day of the third (the dispatch rules plan every day a window touches). When a plan is
 * generated during its month, thirds that are over are skipped and the current third starts now.
 */
import { ELDER_AGE, VISIT_ELIGIBLE_CATEGORIES, isVisitEligible } from '@care/core';
import {
  ceilToMinute,
  countyDate,
  countyInstant,
  countyMonth,
  DAY_MS,
  dayOfMonth,
  daysInMonth,
  isMonth,
  MINUTE_MS,
  MONTH_THIRDS,
  monthThird,
  parseMonth,
  type MonthThird,
} from '@care/core/time';

/** A plan visit's slot: the third of the month it falls in (@care/core/time). */
export const PLAN_SLOTS = MONTH_THIRDS;
export type PlanSlot = MonthThird;

export const PLAN_WINDOW = { start: '09:00', end: '17:00' } as const;
export const PLAN_FIXED_SERVICES = ['health_check', 'safety_check'] as const;
export const PLAN_ROTATION = ['home_cleaning', 'personal_hygiene', 'laundry'] as const;
/** Whom the plan is for: the visit eligibility rule of @care/core (the coverage figures count with the same). */
export const PLAN_CATEGORIES = VISIT_ELIGIBLE_CATEGORIES;
export { ELDER_AGE };

/** Month sentinels a scheduled job may carry instead of a YYYY-MM month. */
export const CURRENT_MONTH = 'current';
export const NEXT_MONTH = 'next';

/** A job's month: YYYY-MM as given, or the county's current / next month for the sentinels. */
export function resolvePlanMonth(month: string, now: Date): string {
  if (month === CURRENT_MONTH) return countyMonth(now);
  if (month === NEXT_MONTH) return countyMonth(now, 1);
  if (!isMonth(month)) throw new RangeError(`not a month (YYYY-MM): "${month}"`);
  return month;
}

/** The services of a plan visit: the two checks plus the rotating one (shifts by a step every month). */
export function planServices(month: string, slot: PlanSlot): string[] {
  const { year, month: mon } = parseMonth(month);
  const ordinal = year * 12 + (mon - 1);
  return [...PLAN_FIXED_SERVICES, PLAN_ROTATION[(ordinal + slot - 1) % PLAN_ROTATION.length]];
}

export interface PlanWindow {
  readonly windowStart: Date;
  readonly windowEnd: Date;
}

/**
 * The window of a plan visit, or null when it cannot happen any more (the third is over, or less than
 * `durationMinutes` of it is left). During the third, the window starts at the next 09:00–17:00 moment.
 */
export function planWindow(month: string, slot: PlanSlot, now: Date, durationMinutes: number): PlanWindow | null {
  const { first, last } = monthThird(month, slot);
  const windowEnd = countyInstant(last, PLAN_WINDOW.end);
  let windowStart = countyInstant(first, PLAN_WINDOW.start);
  if (now.getTime() > windowStart.getTime()) {
    const today = countyDate(now);
    const todayStart = countyInstant(today, PLAN_WINDOW.start);
    const todayEnd = countyInstant(today, PLAN_WINDOW.end);
    if (now.getTime() <= todayStart.getTime()) windowStart = todayStart;
    else if (now.getTime() < todayEnd.getTime()) windowStart = new Date(ceilToMinute(now.getTime()));
    else windowStart = new Date(todayStart.getTime() + DAY_MS);
  }
  if (windowEnd.getTime() - windowStart.getTime() < durationMinutes * MINUTE_MS) return null;
  return { windowStart, windowEnd };
}

export interface PlanCandidate {
  readonly livingArrangement: string;
  readonly categories: readonly string[];
  /** YYYY-MM-DD */
  readonly birthDate: string;
}

/**
 * Eligible for the monthly plan: living at home, destitute or economically disadvantaged, and an elder (60 or
 * more) by the last day of the month — who turns 60 during the month is visited that month.
 */
export function isPlanEligible(resident: PlanCandidate, month: string): boolean {
  return isVisitEligible(resident, dayOfMonth(month, daysInMonth(month)));
}

/** The latest birth date (YYYY-MM-DD) of an elder by the end of the month, for SQL filters. */
export function latestElderBirthDate(month: string): string {
  const { year } = parseMonth(month);
  return `${year - ELDER_AGE}${dayOfMonth(month, daysInMonth(month)).slice(4)}`;
}
