/**
 * A facility's bed summary (api-contract "Beds", shared/spec/domain.md §2):
 * - closed beds are out of every count; beds under maintenance, reserved, vacant or occupied are in service;
 * - `nursingShare = nursing / total`, `utilization = occupied / total`, fractions rounded half-up to 4 places;
 * - target: nursing share ≥ 0.55, compared on the exact fraction (0.54996 shows as 0.55 but does not meet it);
 * - a facility without beds in service has no share and no utilisation: both are `null` (never 0, never NaN),
 *   and `meetsNursingShareTarget` is `false` (nothing to meet it with).
 *
 * Pure: no Nest, no TypeORM.
 */

export type SummaryBedType = 'nursing' | 'ordinary';
export type SummaryBedStatus = 'vacant' | 'occupied' | 'reserved' | 'maintenance' | 'closed';

/** One group of beds, as `SELECT type, status, COUNT(*) ... GROUP BY type, status` gives them. */
export interface BedCountRow {
  readonly type: SummaryBedType;
  readonly status: SummaryBedStatus;
  readonly count: number;
}

export interface BedSummary {
  readonly total: number;
  readonly nursing: number;
  readonly ordinary: number;
  readonly occupied: number;
  readonly vacant: number;
  readonly reserved: number;
  readonly maintenance: number;
  /** Closed beds, reported beside the summary but counted nowhere else. */
  readonly closed: number;
  readonly nursingShare: number | null;
  readonly utilization: number | null;
  readonly nursingShareTarget: number;
  readonly meetsNursingShareTarget: boolean;
}

export const NURSING_SHARE_TARGET = 0.55;

const PLACES = 10_000;

/** numerator ÷ denominator rounded half-up to 4 places; null when the denominator is 0. */
export function roundedFraction(numerator: number, denominator: number): number | null {
  if (!Number.isSafeInteger(numerator) || numerator < 0)
    throw new RangeError(`numerator must be a count, got ${numerator}`);
  if (!Number.isSafeInteger(denominator) || denominator < 0)
    throw new RangeError(`denominator must be a count, got ${denominator}`);
  if (denominator === 0) return null;
  return Math.round((numerator * PLACES) / denominator) / PLACES;
}

/** Whether numerator ÷ denominator ≥ target, exactly (target with at most 4 decimals). */
export function meetsShare(numerator: number, denominator: number, target: number): boolean {
  if (denominator === 0) return false;
  return numerator * PLACES >= Math.round(target * PLACES) * denominator;
}

export function summarizeBeds(rows: Iterable<BedCountRow>, target = NURSING_SHARE_TARGET): BedSummary {
  let total = 0;
  let nursing = 0;
  let ordinary = 0;
  let occupied = 0;
  let vacant = 0;
  let reserved = 0;
  let maintenance = 0;
  let closed = 0;
  for (const row of rows) {
    if (!Number.isSafeInteger(row.count) || row.count < 0)
      throw new RangeError(`bed count must be a count, got ${row.count}`);
    if (row.status === 'closed') {
      closed += row.count;
      continue;
    }
    total += row.count;
    if (row.type === 'nursing') nursing += row.count;
    else ordinary += row.count;
    if (row.status === 'occupied') occupied += row.count;
    else if (row.status === 'vacant') vacant += row.count;
    else if (row.status === 'reserved') reserved += row.count;
    else maintenance += row.count;
  }
  return {
    total,
    nursing,
    ordinary,
    occupied,
    vacant,
    reserved,
    maintenance,
    closed,
    nursingShare: roundedFraction(nursing, total),
    utilization: roundedFraction(occupied, total),
    nursingShareTarget: target,
    meetsNursingShareTarget: meetsShare(nursing, total, target),
  };
}
