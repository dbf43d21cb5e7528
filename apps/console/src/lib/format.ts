// Dates and numbers, always in the county's time zone (Asia/Shanghai, UTC+8, no DST).

export const TZ = 'Asia/Shanghai';

const dayFmt = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });
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
  return dayFmt.format(typeof d === 'string' ? new Date(d) : d);
}
export const today = (): string => dayOf(new Date());
export const thisMonth = (): string => today().slice(0, 7);

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00+08:00`);
  d.setUTCDate(d.getUTCDate() + n);
  return dayOf(d);
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const idx = y * 12 + (m - 1) + n;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

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
  const d = new Date(value);
  const utcMin = d.getUTCHours() * 60 + d.getUTCMinutes() + 8 * 60;
  return utcMin % (24 * 60);
}

/** ISO-8601 with the county's offset for a local date and "HH:mm". */
export function isoAt(day: string, time: string): string {
  return `${day}T${time.length === 5 ? `${time}:00` : time}+08:00`;
}

/** Current moment as ISO-8601 with +08:00. */
export function nowIso(): string {
  const d = new Date(Date.now() + 8 * 3600_000);
  return d.toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

export function pct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return `${(v * 100).toFixed(digits)}%`;
}

export function num(v: number | null | undefined, digits = 0): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return v.toLocaleString('zh-CN', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function weekday(day: string): string {
  return ['周日', '周一', '周二', '周三', '周四', '周五', '周六'][new Date(`${day}T12:00:00+08:00`).getUTCDay()];
}
