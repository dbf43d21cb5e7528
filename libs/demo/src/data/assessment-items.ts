/**
 * Item scores of GB/T 42195-2022 for a wanted final level, varied and plausible: a total drawn inside the level's
 * band, the points lost spread over the items with weights that follow a profile (physical impairment weighs on
 * self-care and mobility, cognitive on mental state and social participation). With `dementia`, the scores give
 * the level one better and the adjustment rule makes it the wanted level. The result is checked with the
 * assessments library's own evaluation, so a demo grade is always what the real rules compute.
 */
import {
  evaluateAssessment,
  ITEM_KEYS,
  ITEMS,
  LEVEL_BANDS,
  type AbilityLevel,
  type AssessmentConditions,
  type AssessmentItems,
  type AssessmentOutcome,
  type DimensionKey,
} from '@care/assessments';

import type { Random } from './prng';

export type ImpairmentProfile = 'physical' | 'cognitive' | 'mixed';

const PROFILE_WEIGHTS: Readonly<Record<ImpairmentProfile, Readonly<Record<DimensionKey, number>>>> = {
  physical: { selfCare: 5, mobility: 5, mentalState: 1, perceptionSocial: 2 },
  cognitive: { selfCare: 2, mobility: 1, mentalState: 5, perceptionSocial: 4 },
  mixed: { selfCare: 3, mobility: 3, mentalState: 3, perceptionSocial: 3 },
};

/** Items kept at their best unless the total is very low (consciousness: 昏睡 would be near coma). */
const SPARED: ReadonlySet<string> = new Set(['consciousness']);

export const NO_CONDITIONS: AssessmentConditions = Object.freeze({
  coma: false,
  dementia: false,
  mentalDisorder: false,
  riskEvents30d: Object.freeze({ falls: 0, wandering: 0, choking: 0, suicideOrSelfHarm: 0, other: 0 }),
});

function band(level: AbilityLevel): { min: number; max: number } {
  const b = LEVEL_BANDS.find((x) => x.level === level);
  if (!b) throw new RangeError(`unknown level ${level}`);
  return b;
}

/** Items whose total lies in `level`'s band, losses spread by `profile`. */
export function itemsForPreliminaryLevel(
  rng: Random,
  level: AbilityLevel,
  profile: ImpairmentProfile,
): AssessmentItems {
  const { min, max } = band(level);
  const total = rng.int(min, max);
  const items = Object.fromEntries(ITEM_KEYS.map((k) => [k, ITEMS[k].max])) as AssessmentItems;
  let toLose = ITEM_KEYS.reduce((s, k) => s + ITEMS[k].max, 0) - total;
  const weights = PROFILE_WEIGHTS[profile];
  const spare = total >= 20; // consciousness only drops for totals below 20
  while (toLose > 0) {
    const candidates = ITEM_KEYS.filter((k) => items[k] > 0 && !(spare && SPARED.has(k)));
    const k = candidates[rng.weighted(candidates.map((c) => weights[ITEMS[c].dimension]))];
    items[k] -= 1;
    toLose -= 1;
  }
  return items;
}

export interface GeneratedAssessment {
  readonly items: AssessmentItems;
  readonly conditions: AssessmentConditions;
  readonly outcome: AssessmentOutcome;
}

/**
 * An assessment whose final level is `level`. `dementia` (only for level ≥ 1): scores one level better plus a
 * dementia diagnosis, which the standard's adjustment turns into `level`.
 */
export function assessmentForLevel(
  rng: Random,
  level: AbilityLevel,
  assessedAt: Date,
  options: { profile?: ImpairmentProfile; dementia?: boolean } = {},
): GeneratedAssessment {
  const dementia = options.dementia === true && level >= 1;
  const preliminary = (dementia ? level - 1 : level) as AbilityLevel;
  const profile =
    options.profile ?? (dementia ? 'cognitive' : rng.pick(['physical', 'physical', 'mixed', 'cognitive'] as const));
  const items = itemsForPreliminaryLevel(rng, preliminary, profile);
  // One fall in the last 30 days now and then: below the threshold of 2, it changes nothing.
  const falls = level >= 2 && rng.chance(0.2) ? 1 : 0;
  const conditions: AssessmentConditions = {
    ...NO_CONDITIONS,
    dementia,
    riskEvents30d: { ...NO_CONDITIONS.riskEvents30d, falls },
  };
  const outcome = evaluateAssessment(items, conditions, assessedAt);
  if (outcome.level !== level || outcome.preliminaryLevel !== preliminary) {
    throw new Error(`demo assessment: wanted level ${level} (preliminary ${preliminary}), rules gave ${outcome.level}`);
  }
  return { items, conditions, outcome };
}
