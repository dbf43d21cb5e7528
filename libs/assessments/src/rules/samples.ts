/**
 * Deterministic item sets for a wanted total score: for seeds, factories and tests that need an assessment at a
 * given level without caring which items carry the loss.
 */
import { ITEMS, ITEM_KEYS, MAX_TOTAL_SCORE, type AssessmentItems } from './item-catalogue';
import { LEVEL_BANDS, type AbilityLevel } from './levels';

/** Items whose scores add up to `total` (0–90): every item starts at its maximum and loses points in catalogue order. */
export function itemsForTotal(total: number): AssessmentItems {
  if (!Number.isInteger(total) || total < 0 || total > MAX_TOTAL_SCORE) {
    throw new RangeError(`total must be an integer 0–${MAX_TOTAL_SCORE}, got ${total}`);
  }
  const items = Object.fromEntries(ITEM_KEYS.map((k) => [k, ITEMS[k].max])) as AssessmentItems;
  let toRemove = MAX_TOTAL_SCORE - total;
  for (const k of ITEM_KEYS) {
    if (toRemove === 0) break;
    const take = Math.min(items[k], toRemove);
    items[k] -= take;
    toRemove -= take;
  }
  return items;
}

/** Items at the middle of a level's band (an example total for the level, with no adjustment needed). */
export function itemsForLevel(level: AbilityLevel): AssessmentItems {
  const band = LEVEL_BANDS.find((b) => b.level === level);
  if (!band) throw new RangeError(`unknown level ${String(level)}`);
  return itemsForTotal(Math.floor((band.min + band.max) / 2));
}
