/** Caregiver shifts are county-local "HH:MM" times (no overnight shifts; "24:00" is the end of the day). */
import { isHHMM, minutesOfDay } from '@care/core/time';

/** Null when the shift is sound, else a "field: reason" line. */
export function shiftProblem(shiftStart: string, shiftEnd: string): string | null {
  if (!isHHMM(shiftStart)) return 'shiftStart: must be a time of day HH:MM';
  if (!isHHMM(shiftEnd)) return 'shiftEnd: must be a time of day HH:MM';
  if (minutesOfDay(shiftEnd) <= minutesOfDay(shiftStart))
    return 'shiftEnd: must be after shiftStart (no overnight shifts)';
  return null;
}
