/**
 * The period a statistic looks at. A month `YYYY-MM` (county time, UTC+8) is seen as of the end of its last day,
 * or as of now while the month is running: assessments must be valid at that instant, stays active at it,
 * elders 60 or older on its date, and visits completed between the month's start and it. Pure.
 */

const OFFSET_MS = 8 * 3600_000;

export interface StatsPeriod {
  readonly month: string;
  /** The month's first instant (00:00 county time), UTC. */
  readonly start: Date;
  /** The first instant of the next month. */
  readonly end: Date;
  /** The instant the statistics look at: min(now, end − 1 ms). */
  readonly asOf: Date;
  /** The county date of `asOf` (YYYY-MM-DD). */
  readonly asOfDate: string;
  /** Latest birth date of someone 60 or older on `asOfDate` (YYYY-MM-DD); compare as strings. */
  readonly elderBornOnOrBefore: string;
  /** True when the month is over (a snapshot of it is final). */
  readonly closed: boolean;
}

export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function countyMonth(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 7);
}

export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to`, both included (at most `max`). */
export function monthsBetween(from: string, to: string, max = 120): string[] {
  const out: string[] = [];
  for (let m = from; m <= to && out.length < max; m = nextMonth(m)) out.push(m);
  return out;
}

/** Throws RangeError for a malformed month or one that has not started yet. */
export function statsPeriod(month: string, now: Date, elderAge = 60): StatsPeriod {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new RangeError(`month must be YYYY-MM, got "${month}"`);
  const y = Number(match[1]);
  const m = Number(match[2]);
  const start = new Date(Date.UTC(y, m - 1, 1) - OFFSET_MS);
  const end = new Date(Date.UTC(y, m, 1) - OFFSET_MS);
  if (start.getTime() > now.getTime()) throw new RangeError(`month ${month} has not started yet`);
  const closed = end.getTime() <= now.getTime();
  const asOf = closed ? new Date(end.getTime() - 1) : now;
  const asOfDate = new Date(asOf.getTime() + OFFSET_MS).toISOString().slice(0, 10);
  // 60 or older on D ⇔ born on or before D minus 60 years (29 Feb of a leap D: D − 60 is a leap year too)
  const elderBornOnOrBefore = `${String(Number(asOfDate.slice(0, 4)) - elderAge).padStart(4, '0')}${asOfDate.slice(4)}`;
  return { month, start, end, asOf, asOfDate, elderBornOnOrBefore, closed };
}
