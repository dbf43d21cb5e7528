/** Dimension scores and the total score of an assessment (items already validated). */
import { DIMENSIONS, DIMENSION_KEYS, type AssessmentItems, type DimensionKey } from './item-catalogue';

export type DimensionScores = Record<DimensionKey, number>;

export function dimensionScores(items: AssessmentItems): DimensionScores {
  const out = {} as DimensionScores;
  for (const key of DIMENSION_KEYS) {
    out[key] = DIMENSIONS[key].items.reduce((sum, item) => sum + items[item], 0);
  }
  return out;
}

export function totalScore(scores: DimensionScores): number {
  return DIMENSION_KEYS.reduce((sum, k) => sum + scores[k], 0);
}
