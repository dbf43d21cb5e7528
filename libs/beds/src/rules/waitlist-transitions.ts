/**
 * The waitlist entry's life cycle: ONE transitions table and ONE `transitionEntry()`, used by
 * `waitlistStatusStatement` (libs/beds/src/waitlist/waitlist.repository.ts), the one writer of
 * `waitlist_entries.status`. Pure: no Nest, no TypeORM.
 *
 *   (added) ──▶ waiting ──offer──▶ offered ──expire──▶ waiting (keeps its place)
 *   waiting, offered ──admit──▶ admitted            (placed at this facility)
 *   waiting, offered ──admitted_elsewhere──▶ cancelled (placed at another facility)
 *   waiting, offered ──cancel──▶ cancelled
 *   admitted, cancelled: final
 *
 * An offer past its expiry is shown as waiting at once (`effectiveEntryStatus`), before the sweep job writes it.
 */
import { InvalidTransitionError } from '@care/core';

export const WAITLIST_STATUS_VALUES = ['waiting', 'offered', 'admitted', 'cancelled'] as const;
export type WaitlistStatusValue = (typeof WAITLIST_STATUS_VALUES)[number];

export const WAITLIST_INITIAL_STATUS: WaitlistStatusValue = 'waiting';
export const OPEN_WAITLIST_STATUSES: readonly WaitlistStatusValue[] = ['waiting', 'offered'];

export const WAITLIST_ACTIONS = ['offer', 'expire', 'admit', 'admitted_elsewhere', 'cancel'] as const;
export type WaitlistAction = (typeof WAITLIST_ACTIONS)[number];

/** from status → action → to status. Anything missing is illegal. */
export const WAITLIST_TRANSITIONS: {
  readonly [S in WaitlistStatusValue]: Readonly<Partial<Record<WaitlistAction, WaitlistStatusValue>>>;
} = {
  waiting: { offer: 'offered', admit: 'admitted', admitted_elsewhere: 'cancelled', cancel: 'cancelled' },
  offered: { expire: 'waiting', admit: 'admitted', admitted_elsewhere: 'cancelled', cancel: 'cancelled' },
  admitted: {},
  cancelled: {},
};

export function nextEntryStatus(from: WaitlistStatusValue, action: WaitlistAction): WaitlistStatusValue | null {
  return WAITLIST_TRANSITIONS[from]?.[action] ?? null;
}

/** The status after `action`; throws InvalidTransitionError (409 INVALID_TRANSITION) when it is not allowed. */
export function transitionEntry(from: WaitlistStatusValue, action: WaitlistAction): WaitlistStatusValue {
  const to = nextEntryStatus(from, action);
  if (to === null) throw new InvalidTransitionError('Waitlist entry', from, action);
  return to;
}

export function isOpenEntryStatus(status: WaitlistStatusValue): boolean {
  return OPEN_WAITLIST_STATUSES.includes(status);
}

/**
 * The status a reader sees: an offer past its expiry is `waiting` again (as the sweep job will write it), so a read
 * never has to write.
 */
export function effectiveEntryStatus(
  entry: { readonly status: WaitlistStatusValue; readonly offerExpiresAt: Date | null },
  now: Date,
): WaitlistStatusValue {
  if (entry.status === 'offered' && entry.offerExpiresAt !== null && entry.offerExpiresAt.getTime() <= now.getTime())
    return nextEntryStatus('offered', 'expire')!;
  return entry.status;
}
