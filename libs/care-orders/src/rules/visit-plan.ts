/**
 * The monthly visit plan (domain.md §5): three visits a month for every eligible elder living at home, one
 * in each third of the month (days 1–10, 11–20, 21–end), window 09:00–17:00 county time, each with
 * health_check and safety_check plus one of home_cleaning, personal_hygiene, laundry in rotation.
 *
 * A visit's window runs from 09:00 on the first day of its third to 17:00 on the last day, so dispatch may
 * place it on any day of the third (the dispatch rules plan every day a window touches). When a plan is
 * generated during its month, thirds that are over are skipped and the current third starts now.
 */
import { ageOn, countyInstant } from '@care/core';

export const PLAN_SLOTS = [1, 2, 3] as const;
export type PlanSlot = (typeof PLAN_SLOTS)[number];

export const PLAN_WINDOW = { start: '09:00', end: '17:00' } as const;
export const PLAN_FIXED_SERVICES = ['health_check', 'safety_check'] as const;
export const PLAN_ROTATION = ['home_cleaning', 'personal_hygiene', 'laundry'] as const;
export const PLAN_CATEGORIES = ['destitute', 'economic_hardship'] as const;
export const ELDER_AGE = 60;

/** Month sentinels a scheduled job may carry instead of a YYYY-MM month. */
export const CURRENT_MONTH = 'current';
export const NEXT_MONTH = 'next';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

export function daysInMonth(month: string): number {
  const match = MONTH.exec(month);
  if (!match) throw new RangeError(`not a month (YYYY-MM): "${month}"`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]), 0)).getUTCDate();
}

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD of a day of the month. */
export function dayOf(month: string, day: number): string {
  return `${month}-${pad(day)}`;
}

/** The county month (YYYY-MM) of an instant, or the month after it. */
export function countyMonth(now: Date, offset = 0): string {
  const local = new Date(now.getTime() + 8 * 3600_000);
  const d = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + offset, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

/** A job's month: YYYY-MM as given, or the county's current / next month for the sentinels. */
export function resolvePlanMonth(month: string, now: Date): string {
  if (month === CURRENT_MONTH) return countyMonth(now);
  if (month === NEXT_MONTH) return countyMonth(now, 1);
  if (!isMonth(month)) throw new RangeError(`not a month (YYYY-MM): "${month}"`);
  return month;
}

/** Days of the month that make up a third. */
export function thirdOf(month: string, slot: PlanSlot): { firstDay: number; lastDay: number } {
  if (slot === 1) return { firstDay: 1, lastDay: 10 };
  if (slot === 2) return { firstDay: 11, lastDay: 20 };
  return { firstDay: 21, lastDay: daysInMonth(month) };
}

/** The services of a plan visit: the two checks plus the rotating one (shifts by a step every month). */
export function planServices(month: string, slot: PlanSlot): string[] {
  const [year, mon] = month.split('-').map(Number);
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
  const { firstDay, lastDay } = thirdOf(month, slot);
  const windowEnd = countyInstant(dayOf(month, lastDay), PLAN_WINDOW.end);
  let windowStart = countyInstant(dayOf(month, firstDay), PLAN_WINDOW.start);
  if (now.getTime() > windowStart.getTime()) {
    const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const todayStart = countyInstant(today, PLAN_WINDOW.start);
    const todayEnd = countyInstant(today, PLAN_WINDOW.end);
    if (now.getTime() <= todayStart.getTime()) windowStart = todayStart;
    else if (now.getTime() < todayEnd.getTime()) windowStart = new Date(Math.ceil(now.getTime() / 60_000) * 60_000);
    else windowStart = new Date(todayStart.getTime() + 24 * 3600_000);
  }
  if (windowEnd.getTime() - windowStart.getTime() < durationMinutes * 60_000) return null;
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
  if (resident.livingArrangement !== 'home') return false;
  if (!resident.categories.some((c) => (PLAN_CATEGORIES as readonly string[]).includes(c))) return false;
  return ageOn(resident.birthDate, dayOf(month, daysInMonth(month))) >= ELDER_AGE;
}

/** The latest birth date (YYYY-MM-DD) of an elder by the end of the month, for SQL filters. */
export function latestElderBirthDate(month: string): string {
  const [year, mon] = month.split('-').map(Number);
  return `${year - ELDER_AGE}-${pad(mon)}-${pad(daysInMonth(month))}`;
}
