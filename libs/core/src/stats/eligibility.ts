/**
 * Who the monthly visits are for (domain.md §5), the one place the rule is written: an elder (60 or older) living
 * at home who is destitute or economically disadvantaged. The visit plan (care-orders) decides whom to plan for
 * with it, and the coverage figures (stats) count the eligible elders with it, in Node and, through
 * {@link eligibleAtHomeSql}, in SQL. Pure.
 */
import { ageOn } from '../time/county-time';

export const ELDER_AGE = 60;
/** The categories that make an elder at home eligible for the monthly visits. */
export const VISIT_ELIGIBLE_CATEGORIES = ['destitute', 'economic_hardship'] as const;

export interface EligibilityFacts {
  readonly livingArrangement: string;
  readonly categories: readonly string[];
  /** YYYY-MM-DD */
  readonly birthDate: string;
}

/** Has one of the categories that make an elder at home eligible. */
export function hasEligibleCategory(categories: readonly string[]): boolean {
  return categories.some((c) => (VISIT_ELIGIBLE_CATEGORIES as readonly string[]).includes(c));
}

/** Eligible for the monthly visits on `day` (YYYY-MM-DD): at home, an eligible category, 60 or older that day. */
export function isVisitEligible(resident: EligibilityFacts, day: string): boolean {
  if (resident.livingArrangement !== 'home') return false;
  if (!hasEligibleCategory(resident.categories)) return false;
  return ageOn(resident.birthDate, day) >= ELDER_AGE;
}

/** The latest birth date (YYYY-MM-DD) of an elder on `day` (YYYY-MM-DD): 60 or older on D ⇔ born on or before D − 60 years. */
export function elderBornOnOrBefore(day: string): string {
  return `${String(Number(day.slice(0, 4)) - ELDER_AGE).padStart(4, '0')}${day.slice(4)}`;
}

/**
 * The SQL condition "at home with an eligible category" on the residents alias `r` (the age is the caller's:
 * compare `birth_date` with {@link elderBornOnOrBefore}). Literal text, no placeholders.
 */
export function eligibleAtHomeSql(r = 'r'): string {
  const categories = VISIT_ELIGIBLE_CATEGORIES.map((c) => `'${c}'`).join(', ');
  return `${r}.living_arrangement = 'home' AND EXISTS (SELECT 1 FROM resident_categories c WHERE c.resident_id = ${r}.id AND c.category IN (${categories}))`;
}
