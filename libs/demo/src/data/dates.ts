/** Calendar helpers for the county's wall clock (UTC+8, no daylight saving). Dates are YYYY-MM-DD. */

const DAY_MS = 86_400_000;

export function parseMonth(month: string): { year: number; month: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new RangeError(`month must be YYYY-MM, got ${month}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

export function daysInMonth(month: string): number {
  const { year, month: m } = parseMonth(month);
  return new Date(Date.UTC(year, m, 0)).getUTCDate();
}

export function dayOfMonth(month: string, day: number): string {
  return `${month}-${String(day).padStart(2, '0')}`;
}

export function lastDayOfMonth(month: string): string {
  return dayOfMonth(month, daysInMonth(month));
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b`. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** `2020-12-01T09:00:00+08:00` from a date and minutes after midnight. */
export function countyTime(date: string, minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h > 23) throw new RangeError(`minutes ${minutes} past the end of the day`);
  return `${date}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00+08:00`;
}

/** Days 1–10, 11–20, 21–end: the thirds of a month the visit plan uses (first and last day). */
export function monthThird(month: string, third: 0 | 1 | 2): { first: string; last: string; days: number } {
  const firstDay = third * 10 + 1;
  const lastDay = third === 2 ? daysInMonth(month) : firstDay + 9;
  return { first: dayOfMonth(month, firstDay), last: dayOfMonth(month, lastDay), days: lastDay - firstDay + 1 };
}
