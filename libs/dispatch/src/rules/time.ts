/**
 * Time in the dispatch rules: instants are epoch milliseconds (numbers) throughout, durations are whole
 * minutes. The county is Asia/Shanghai: UTC+8 all year, no daylight saving. Shifts are local "HH:MM".
 */

export const MINUTE_MS = 60_000;
export const COUNTY_OFFSET_MS = 8 * 60 * MINUTE_MS;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Minutes after local midnight of an "HH:MM" string; "24:00" is allowed (end of the day). */
export function parseHHMM(value: string): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(value);
  if (!match) throw new RangeError(`not a time of day (HH:MM): "${value}"`);
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (minutes > 24 * 60) throw new RangeError(`not a time of day (HH:MM): "${value}"`);
  return minutes;
}

/** The county-local date (YYYY-MM-DD) of an instant. */
export function localDateOf(epochMs: number): string {
  return new Date(epochMs + COUNTY_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of local midnight starting a county-local date. */
export function localMidnight(date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not a date (YYYY-MM-DD): "${date}"`);
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a date (YYYY-MM-DD): "${date}"`);
  return ms - COUNTY_OFFSET_MS;
}

/** The instant of a county-local date and "HH:MM" time. */
export function localInstant(date: string, hhmm: string): number {
  return localMidnight(date) + parseHHMM(hhmm) * MINUTE_MS;
}

/** The county-local dates an interval [start, end) touches, in order. */
export function localDatesBetween(start: number, end: number): string[] {
  const dates: string[] = [];
  if (end <= start) return dates;
  let day = localMidnight(localDateOf(start));
  while (day < end) {
    dates.push(localDateOf(day));
    day += DAY_MS;
  }
  return dates;
}

/** Rounds an instant up to the next whole minute (visits are planned on whole minutes; DATETIME keeps them). */
export function ceilToMinute(epochMs: number): number {
  return Math.ceil(epochMs / MINUTE_MS) * MINUTE_MS;
}

/** An instant as the contract prints it: 2026-12-01T09:00:00+08:00. */
export function formatLocal(epochMs: number): string {
  return `${new Date(epochMs + COUNTY_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}
