/**
 * A caregiver's action taken on a phone (api-contract, Care orders, check-in paragraph): it may have been queued
 * while the phone had no signal and sent later, so it carries `recordedAt`, the phone's own time, besides the
 * server's time of arrival. The phone's clock is trusted only within bounds: an action recorded more than 24 hours
 * before it arrives, or after it arrives (beyond a small skew), is kept and flagged `clock`, never refused. And an
 * action by anyone but the assigned caregiver (a dispatcher or admin on the caregiver's behalf) is kept with its
 * actor and flagged `proxy`.
 */

export interface ClockTolerance {
  /** An action recorded longer than this before it reached the server is flagged. */
  readonly maxAgeMs: number;
  /** A phone clock this far ahead of the server's is still believed (clocks drift; NTP is not everywhere). */
  readonly futureSkewMs: number;
}

export const DEFAULT_CLOCK_TOLERANCE: ClockTolerance = Object.freeze({
  maxAgeMs: 24 * 3600_000,
  futureSkewMs: 5 * 60_000,
});

export interface ActionTime {
  /** When the action happened as far as the record goes: the phone's time when believable, else the server's. */
  readonly effectiveAt: Date;
  /** The phone's time as sent; null when the action carried none (an online action). */
  readonly recordedAt: Date | null;
  /** The phone's time is more than maxAge old or in the future: kept, flagged for the dispatcher. */
  readonly clock: boolean;
}

/** Weighs the phone's `recordedAt` against the server's time of arrival. */
export function actionTime(
  serverAt: Date,
  recordedAt: Date | null,
  tolerance: ClockTolerance = DEFAULT_CLOCK_TOLERANCE,
): ActionTime {
  if (!recordedAt) return { effectiveAt: serverAt, recordedAt: null, clock: false };
  const ageMs = serverAt.getTime() - recordedAt.getTime();
  const clock = ageMs > tolerance.maxAgeMs || ageMs < -tolerance.futureSkewMs;
  return { effectiveAt: clock ? serverAt : recordedAt, recordedAt, clock };
}

/** Who acted on an order: the assigned caregiver itself, or someone else on its behalf (proxy). */
export function isProxyAction(
  actor: { role: string; caregiverId: string | null },
  assignedCaregiverId: string | null,
): boolean {
  return !(actor.role === 'caregiver' && actor.caregiverId !== null && actor.caregiverId === assignedCaregiverId);
}
