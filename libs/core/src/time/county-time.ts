/**
 * County time: the county's wall clock (Asia/Shanghai, UTC+8 all year, no daylight saving), its dates, months and
 * the thirds of a month the visit plan uses. The one place that does UTC+8 arithmetic: server libraries import it
 * from `@care/core` or, in pure rules (and the console, through its vite alias), from `@care/core/time`.
 * Pure: imports nothing. Dates are YYYY-MM-DD, months YYYY-MM, times of day "HH:MM", all county-local; an instant is
 * a Date or epoch milliseconds.
 */

/** The county's IANA zone, for cron schedules and Intl formatting. */
export const COUNTY_TIME_ZONE = 'Asia/Shanghai';
/** The county's offset from UTC. */
export const COUNTY_UTC_OFFSET_MINUTES = 8 * 60;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const COUNTY_OFFSET_MS = COUNTY_UTC_OFFSET_MINUTES * MINUTE_MS;

/** An instant: a Date or epoch milliseconds. */
export type Instant = Date | number;

const msOf = (at: Instant): number => (typeof at === 'number' ? at : at.getTime());
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
/** The county's wall clock of an instant, as a Date whose UTC fields read county-local. */
const wallClock = (at: Instant): Date => new Date(msOf(at) + COUNTY_OFFSET_MS);

// ── instants ─────────────────────────────────────────────────────────────────────────────────────────────────

/** 2026-12-01T09:00:00+08:00 — the contract's time format, in the county's zone. */
export function countyIso(at: Instant): string {
  const local = wallClock(at);
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}+08:00`
  );
}

/** {@link countyIso}, or null for a missing instant. */
export function toCountyIso(date: Date | null | undefined): string | null {
  return date ? countyIso(date) : null;
}

/** YYYY-MM-DD of an instant, in the county's zone. */
export function countyDate(at: Instant): string {
  return countyIso(at).slice(0, 10);
}

/** The county-local "HH:MM" of an instant. */
export function countyClock(at: Instant): string {
  return countyIso(at).slice(11, 16);
}

/** Minutes after county midnight of an instant. */
export function countyMinutesOfDay(at: Instant): number {
  const local = wallClock(at);
  return local.getUTCHours() * 60 + local.getUTCMinutes();
}

/** The instant a county-local date and time (HH:MM or HH:MM:SS) stands for; an invalid Date for malformed input. */
export function countyInstant(date: string, time = '00:00'): Date {
  return new Date(`${date}T${time.length === 5 ? `${time}:00` : time}+08:00`);
}

/** Epoch ms of 00:00 county time starting a date; throws RangeError for anything but a real YYYY-MM-DD. */
export function countyMidnight(date: string): number {
  if (!isCalendarDate(date)) throw new RangeError(`not a date (YYYY-MM-DD): "${date}"`);
  return Date.parse(`${date}T00:00:00Z`) - COUNTY_OFFSET_MS;
}

/** Epoch ms of a county-local date and "HH:MM" ("24:00": the next midnight); throws RangeError when malformed. */
export function countyTimeOf(date: string, hhmm: string): number {
  return countyMidnight(date) + minutesOfDay(hhmm) * MINUTE_MS;
}

/**
 * 00:00 county time of year-month-day, the day overflowing as Date.UTC does (29 February of a year without one is
 * the 1st of March).
 */
export function countyMidnightOf(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day) - COUNTY_OFFSET_MS);
}

/** Rounds an instant up to the next whole minute (visits are planned on whole minutes; DATETIME keeps them). */
export function ceilToMinute(epochMs: number): number {
  return Math.ceil(epochMs / MINUTE_MS) * MINUTE_MS;
}

/**
 * `at` plus whole months on the county's wall clock: 15 March 10:00 + 12 → 15 March next year 10:00; a day the
 * target month lacks falls back to its last day (31 Jan + 1 month → 28/29 Feb).
 */
export function addMonthsCountyTime(at: Date, months: number): Date {
  if (Number.isNaN(at.getTime())) throw new RangeError('invalid date');
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer, got ${months}`);
  const local = wallClock(at);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + months;
  const day = Math.min(local.getUTCDate(), new Date(Date.UTC(y, m + 1, 0)).getUTCDate());
  const shifted = Date.UTC(
    y,
    m,
    day,
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    local.getUTCMilliseconds(),
  );
  return new Date(shifted - COUNTY_OFFSET_MS);
}

// ── times of day ─────────────────────────────────────────────────────────────────────────────────────────────

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** "HH:MM" from 00:00 to 24:00 (the end of the day). */
export function isHHMM(value: string): boolean {
  return HHMM.test(value);
}

/** Minutes after midnight of "HH:MM" ("24:00" is 1440); throws RangeError otherwise. */
export function minutesOfDay(hhmm: string): number {
  if (!isHHMM(hhmm)) throw new RangeError(`not a time of day (HH:MM): "${hhmm}"`);
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** "HH:MM" of minutes after midnight (0–1440). */
export function hhmmOf(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 24 * 60)
    throw new RangeError(`not minutes of a day: ${minutes}`);
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

// ── dates ────────────────────────────────────────────────────────────────────────────────────────────────────

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A YYYY-MM-DD date that exists (2026-02-30 does not). */
export function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** A date plus whole days (negative: before). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b`. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** 0 (Sunday) to 6 (Saturday). */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The county dates an interval [start, end) touches, in order. */
export function countyDatesBetween(start: Instant, end: Instant): string[] {
  const dates: string[] = [];
  const endMs = msOf(end);
  if (endMs <= msOf(start)) return dates;
  for (let day = countyMidnight(countyDate(start)); day < endMs; day += DAY_MS) dates.push(countyDate(day));
  return dates;
}

/** Whole years between a birth date (YYYY-MM-DD) and a day (YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

// ── months ───────────────────────────────────────────────────────────────────────────────────────────────────

export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH_PATTERN.test(value);
}

/** Year and month (1–12) of a YYYY-MM month; throws RangeError otherwise. */
export function parseMonth(month: string): { year: number; month: number } {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new RangeError(`not a month (YYYY-MM): "${month}"`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

/** A month plus whole months (negative: before). */
export function addMonths(month: string, months: number): string {
  const { year, month: m } = parseMonth(month);
  const index = year * 12 + (m - 1) + months;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
}

export const nextMonth = (month: string): string => addMonths(month, 1);
export const previousMonth = (month: string): string => addMonths(month, -1);

/** The county month (YYYY-MM) of an instant, or `offset` months after it. */
export function countyMonth(at: Instant, offset = 0): string {
  const month = countyDate(at).slice(0, 7);
  return offset === 0 ? month : addMonths(month, offset);
}

/** Months from `from` to `to`, both included (at most `max`). */
export function monthsBetween(from: string, to: string, max = 120): string[] {
  const out: string[] = [];
  for (let m = from; m <= to && out.length < max; m = nextMonth(m)) out.push(m);
  return out;
}

export function daysInMonth(month: string): number {
  const { year, month: m } = parseMonth(month);
  return new Date(Date.UTC(year, m, 0)).getUTCDate();
}

/** YYYY-MM-DD of a day of the month. */
export function dayOfMonth(month: string, day: number): string {
  return `${month}-${pad(day)}`;
}

export function lastDayOfMonth(month: string): string {
  return dayOfMonth(month, daysInMonth(month));
}

/** The month's first instant (00:00 county time on the 1st). */
export function monthStart(month: string): Date {
  const { year, month: m } = parseMonth(month);
  return countyMidnightOf(year, m, 1);
}

// ── thirds of a month ────────────────────────────────────────────────────────────────────────────────────────

/** The thirds of a month (days 1–10, 11–20, 21–end), numbered 1 to 3. */
export const MONTH_THIRDS = [1, 2, 3] as const;
export type MonthThird = (typeof MONTH_THIRDS)[number];

export interface MonthThirdDays {
  readonly firstDay: number;
  readonly lastDay: number;
  /** YYYY-MM-DD of the first and last day. */
  readonly first: string;
  readonly last: string;
  readonly days: number;
}

/** The days of a third of the month. */
export function monthThird(month: string, third: MonthThird): MonthThirdDays {
  const firstDay = (third - 1) * 10 + 1;
  const lastDay = third === 3 ? daysInMonth(month) : firstDay + 9;
  return {
    firstDay,
    lastDay,
    first: dayOfMonth(month, firstDay),
    last: dayOfMonth(month, lastDay),
    days: lastDay - firstDay + 1,
  };
}

/** The third of the month a day (1–31) falls in. */
export function thirdOfDay(day: number): MonthThird {
  return day <= 10 ? 1 : day <= 20 ? 2 : 3;
}
