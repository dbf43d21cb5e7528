import { cmp } from './schedule';

/**
 * How many pending orders one round plans at most: the planner's work grows faster than linearly with the orders,
 * and the round's transaction holds its locks while it writes them. Leftovers go to the next round (or the sweep).
 */
export const ROUND_MAX_ORDERS = 250;

/** Rounds one dispatcher runs back to back under one lease before it gives the partition a fresh job. */
export const ROUNDS_PER_LEASE = 8;

/** What a round needs to know of a pending order to pick it. */
export interface PendingOrderRef {
  readonly id: string;
  readonly priority: 'normal' | 'urgent';
  readonly windowStart: number;
}

/**
 * The orders of the next round: urgent first, then the earliest window (the soonest due), then id; at most `max`.
 * `more` tells that orders were left for a later round.
 */
export function pickRound<O extends PendingOrderRef>(
  pending: readonly O[],
  max = ROUND_MAX_ORDERS,
): { picked: O[]; more: boolean } {
  const sorted = [...pending].sort(
    (a, b) =>
      Number(b.priority === 'urgent') - Number(a.priority === 'urgent') ||
      a.windowStart - b.windowStart ||
      cmp(a.id, b.id),
  );
  return { picked: sorted.slice(0, max), more: sorted.length > max };
}
