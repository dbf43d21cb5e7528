/**
 * The stay's life cycle: ONE transitions table and ONE `transitionStay()`, used by `stayStatusStatement`
 * (libs/beds/src/stays.repository.ts), the one writer of `stays.status`. Pure: no Nest, no TypeORM.
 *
 *   (admission) ──▶ active ──transfer──▶ active (another bed of the same facility)
 *                   active ──discharge──▶ discharged (final)
 */
import { InvalidTransitionError } from '@care/core';

export const STAY_STATUS_VALUES = ['active', 'discharged'] as const;
export type StayStatusValue = (typeof STAY_STATUS_VALUES)[number];

/** A stay is created `active` (admission); it never starts in another status. */
export const STAY_INITIAL_STATUS: StayStatusValue = 'active';

export const STAY_ACTIONS = ['transfer', 'discharge'] as const;
export type StayAction = (typeof STAY_ACTIONS)[number];

/** from status → action → to status. Anything missing is illegal. */
export const STAY_TRANSITIONS: {
  readonly [S in StayStatusValue]: Readonly<Partial<Record<StayAction, StayStatusValue>>>;
} = {
  active: { transfer: 'active', discharge: 'discharged' },
  discharged: {},
};

export function nextStayStatus(from: StayStatusValue, action: StayAction): StayStatusValue | null {
  return STAY_TRANSITIONS[from]?.[action] ?? null;
}

/** The status after `action`; throws InvalidTransitionError (409 INVALID_TRANSITION) when it is not allowed. */
export function transitionStay(from: StayStatusValue, action: StayAction): StayStatusValue {
  const to = nextStayStatus(from, action);
  if (to === null) throw new InvalidTransitionError('Stay', from, action);
  return to;
}
