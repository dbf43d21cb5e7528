/**
 * The period a statistic looks at. A month `YYYY-MM` (county time, UTC+8) is seen as of the end of its last day,
 * or as of now while the month is running: assessments must be valid at that instant, stays active at it,
 * elders 60 or older on its date, and visits completed between the month's start and it. Pure.
 */

import { elderBornOnOrBefore } from '@care/core';
import { countyDate, monthStart, nextMonth } from '@care/core/time';

export { countyMonth, monthsBetween, MONTH_PATTERN, nextMonth, previousMonth } from '@care/core/time';

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

/** Throws RangeError for a malformed month or one that has not started yet. */
export function statsPeriod(month: string, now: Date): StatsPeriod {
  const start = monthStart(month);
  const end = monthStart(nextMonth(month));
  if (start.getTime() > now.getTime()) throw new RangeError(`month ${month} has not started yet`);
  const closed = end.getTime() <= now.getTime();
  const asOf = closed ? new Date(end.getTime() - 1) : now;
  const asOfDate = countyDate(asOf);
  // 60 or older on D ⇔ born on or before D minus 60 years (29 Feb of a leap D: D − 60 is a leap year too)
  return { month, start, end, asOf, asOfDate, elderBornOnOrBefore: elderBornOnOrBefore(asOfDate), closed };
}
