// Dates and numbers, always in the county's time zone. The county-time arithmetic is the server's own pure module,
// libs/core/src/time, imported through the `@care/core/time` alias (vite.config.ts, tsconfig.json).
import {
  addDays as addCountyDays,
  addMonths as addCountyMonths,
  COUNTY_TIME_ZONE,
  countyDate,
  countyInstant,
  countyIso,
  countyMinutesOfDay,
  weekdayOf,
} from '@care/core/time';

export const TZ = COUNTY_TIME_ZONE;

const timeFmt = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hour12: false });
const dateTimeFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** YYYY-MM-DD of a moment, in the county. */
export function dayOf(d: Date | string = new Date()): string {
  return countyDate(typeof d === 'string' ? new Date(d) : d);
}
export const today = (): string => dayOf(new Date());
export const thisMonth = (): string => today().slice(0, 7);

export const addDays = (day: string, n: number): string => addCountyDays(day, n);
export const addMonths = (month: string, n: number): string => addCountyMonths(month, n);

export function hhmm(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : timeFmt.format(d);
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : dateTimeFmt.format(d);
}

/** Minutes since the county's midnight for an ISO time, or for "HH:mm". */
export function minutesOfDay(value: string): number {
  if (/^\d{1,2}:\d{2}/.test(value)) {
    const [h, m] = value.split(':').map(Number);
    return h * 60 + m;
  }
  return countyMinutesOfDay(new Date(value));
}

/** ISO-8601 with the county's offset for a local date and "HH:mm" (as typed when it is no date: the api names it). */
export function isoAt(day: string, time: string): string {
  const at = countyInstant(day, time);
  return Number.isNaN(at.getTime()) ? `${day}T${time}` : countyIso(at);
}

/** Current moment as ISO-8601 with +08:00. */
export const nowIso = (): string => countyIso(Date.now());

export function pct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return `${(v * 100).toFixed(digits)}%`;
}

export function num(v: number | null | undefined, digits = 0): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return v.toLocaleString('zh-CN', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function weekday(day: string): string {
  return ['周日', '周一', '周二', '周三', '周四', '周五', '周六'][weekdayOf(day)];
}
