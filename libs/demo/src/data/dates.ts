/** Calendar helpers of the demo generator: the county's wall clock from @care/core/time, and its time strings. */
import { countyIso, countyTimeOf, hhmmOf } from '@care/core/time';

export { addDays, daysBetween, daysInMonth, lastDayOfMonth, monthThird, parseMonth } from '@care/core/time';

/** `2020-12-01T09:00:00+08:00` from a date and minutes after midnight (before 24:00). */
export function countyTime(date: string, minutes: number): string {
  if (minutes >= 24 * 60) throw new RangeError(`minutes ${minutes} past the end of the day`);
  return countyIso(countyTimeOf(date, hhmmOf(minutes)));
}
