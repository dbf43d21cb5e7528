/** The county's offset: Asia/Shanghai is UTC+8 all year (no daylight saving). */
export const COUNTY_UTC_OFFSET_MINUTES = 8 * 60;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** 2026-12-01T09:00:00+08:00 — the contract's time format, in the county's zone. */
export function toCountyIso(date: Date | null | undefined): string | null {
  if (!date) return null;
  const local = new Date(date.getTime() + COUNTY_UTC_OFFSET_MINUTES * 60_000);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}+08:00`
  );
}

/** YYYY-MM-DD of an instant, in the county's zone. */
export function countyDate(date: Date): string {
  return toCountyIso(date)!.slice(0, 10);
}

/** The instant a county-local date and time (HH:MM) stands for. */
export function countyInstant(date: string, time = '00:00'): Date {
  return new Date(`${date}T${time.length === 5 ? `${time}:00` : time}+08:00`);
}

/** Whole years between a birth date (YYYY-MM-DD) and a day (YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
