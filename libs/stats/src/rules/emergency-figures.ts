/**
 * The bureau's emergency-call figures (一键呼叫), defined once. Pure.
 *
 * - `calls`: emergency calls received in the period (a repeated press joined to an open call is not a new call).
 * - `medianMinutesToArrive`: the median of (the caregiver's check-in − the call) over the calls that were reached,
 *   in minutes to one decimal; null when none was reached.
 * - `answeredWithin60Share`: calls reached within 60 minutes ÷ calls that needed a caregiver (all calls except those
 *   resolved as `false_alarm` before anyone arrived), 4 places; null when no call needed one.
 */
export interface CallFacts {
  readonly receivedAt: number;
  /** The check-in of the call's order, null when nobody arrived. */
  readonly arrivedAt: number | null;
  readonly outcome: string | null;
}

export interface EmergencyFigures {
  readonly calls: number;
  readonly reached: number;
  readonly medianMinutesToArrive: number | null;
  readonly answeredWithin60: number;
  readonly needingVisit: number;
  readonly answeredWithin60Share: number | null;
}

export const ANSWER_TARGET_MS = 60 * 60_000;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function emergencyFigures(calls: readonly CallFacts[]): EmergencyFigures {
  const waits = calls.filter((c) => c.arrivedAt !== null).map((c) => (c.arrivedAt as number) - c.receivedAt);
  const needing = calls.filter((c) => !(c.outcome === 'false_alarm' && c.arrivedAt === null));
  const within = needing.filter((c) => c.arrivedAt !== null && c.arrivedAt - c.receivedAt <= ANSWER_TARGET_MS).length;
  const m = median(waits);
  return {
    calls: calls.length,
    reached: waits.length,
    medianMinutesToArrive: m === null ? null : Math.round(m / 6000) / 10,
    answeredWithin60: within,
    needingVisit: needing.length,
    answeredWithin60Share: needing.length === 0 ? null : Math.round((within / needing.length) * 10_000) / 10_000,
  };
}
