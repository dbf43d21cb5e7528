/** Caregiver shifts are county-local "HH:MM" times (no overnight shifts). */

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

export function isHHMM(value: string): boolean {
  return HHMM.test(value);
}

/** Minutes after local midnight; "24:00" is the end of the day. */
export function minutesOfDay(hhmm: string): number {
  if (!isHHMM(hhmm)) throw new RangeError(`not a time of day (HH:MM): "${hhmm}"`);
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Null when the shift is sound, else a "field: reason" line. */
export function shiftProblem(shiftStart: string, shiftEnd: string): string | null {
  if (!isHHMM(shiftStart)) return 'shiftStart: must be a time of day HH:MM';
  if (!isHHMM(shiftEnd)) return 'shiftEnd: must be a time of day HH:MM';
  if (minutesOfDay(shiftEnd) <= minutesOfDay(shiftStart))
    return 'shiftEnd: must be after shiftStart (no overnight shifts)';
  return null;
}

/** The county-local "HH:MM" of an instant (Asia/Shanghai, UTC+8). */
export function countyClock(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(11, 16);
}
