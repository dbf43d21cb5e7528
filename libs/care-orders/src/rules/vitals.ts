/**
 * Plausible ranges for the vitals a caregiver records at check-out (health_check). Values outside them are
 * typing errors, not medical findings, so they are refused (400) and the caregiver corrects them.
 */

export interface Vitals {
  systolic?: number;
  diastolic?: number;
  heartRate?: number;
  bloodGlucose?: number;
  temperature?: number;
}

export const VITAL_RANGES = {
  /** mmHg */
  systolic: { min: 60, max: 260, integer: true },
  /** mmHg */
  diastolic: { min: 30, max: 160, integer: true },
  /** beats per minute */
  heartRate: { min: 25, max: 250, integer: true },
  /** mmol/L */
  bloodGlucose: { min: 1, max: 35, integer: false },
  /** °C */
  temperature: { min: 34, max: 43, integer: false },
} as const satisfies Record<keyof Vitals, { min: number; max: number; integer: boolean }>;

/** Every problem as a "vitals.field: reason" line; empty when the vitals are plausible. */
export function vitalsProblems(vitals: Vitals): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(VITAL_RANGES) as (keyof Vitals)[]) {
    const value = vitals[key];
    if (value === undefined || value === null) continue;
    const range = VITAL_RANGES[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`vitals.${key}: must be a number`);
    else if (range.integer && !Number.isInteger(value)) problems.push(`vitals.${key}: must be a whole number`);
    else if (value < range.min || value > range.max) {
      problems.push(`vitals.${key}: must be between ${range.min} and ${range.max}`);
    }
  }
  if (
    typeof vitals.systolic === 'number' &&
    typeof vitals.diastolic === 'number' &&
    problems.length === 0 &&
    vitals.diastolic >= vitals.systolic
  ) {
    problems.push('vitals.diastolic: must be below vitals.systolic');
  }
  return problems;
}
