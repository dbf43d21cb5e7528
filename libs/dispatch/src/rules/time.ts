/**
 * Time in the dispatch rules: instants are epoch milliseconds (numbers) throughout, durations are whole
 * minutes, shifts are county-local "HH:MM". The county-time arithmetic itself is `@care/core/time` (the alias
 * loads only that pure module, not the rest of core); these are its functions under the names the rules use.
 */
import { countyDate, countyDatesBetween, countyIso, countyMidnight, countyTimeOf, minutesOfDay } from '@care/core/time';

export { ceilToMinute, MINUTE_MS } from '@care/core/time';

/** Minutes after local midnight of an "HH:MM" string; "24:00" is allowed (end of the day). */
export const parseHHMM: (value: string) => number = minutesOfDay;
/** The county-local date (YYYY-MM-DD) of an instant. */
export const localDateOf: (epochMs: number) => string = countyDate;
/** The instant of local midnight starting a county-local date. */
export const localMidnight: (date: string) => number = countyMidnight;
/** The instant of a county-local date and "HH:MM" time. */
export const localInstant: (date: string, hhmm: string) => number = countyTimeOf;
/** The county-local dates an interval [start, end) touches, in order. */
export const localDatesBetween: (start: number, end: number) => string[] = countyDatesBetween;
/** An instant as the contract prints it: 2026-12-01T09:00:00+08:00. */
export const formatLocal: (epochMs: number) => string = countyIso;
