/**
 * The bed's status life cycle: ONE transitions table and ONE `transitionBed()`. Every bed status write in the system
 * (admission, transfer, discharge, offers from the waitlist, their release and expiry, a person's PATCH) goes through
 * it, in `bedStatusStatement` (libs/beds/src/beds.repository.ts). Pure: no Nest, no TypeORM.
 *
 *   vacant ──reserve──▶ reserved ──release──▶ vacant          (an offer from the waitlist, and its end)
 *   vacant, reserved ──occupy──▶ occupied ──vacate──▶ vacant  (admission or transfer in; discharge or transfer out)
 *   vacant, reserved, maintenance, closed ──set_vacant / set_maintenance / close──▶ vacant / maintenance / closed
 *   (a person's PATCH; `planBedStatusChange` in ./bed-status.ts decides first whether a reservation still holds)
 *
 * `reserved ──reserve──▶ reserved` is a new offer of a bed whose reservation has lapsed (the service checks that).
 * An occupied bed changes only through its stay.
 */
import { InvalidTransitionError } from '@care/core';
import type { AdmissionBedStatus } from './admission';

export type BedStatusValue = AdmissionBedStatus;

export const BED_ACTIONS = [
  /** an offer from the waitlist holds the bed for one resident until a time */
  'reserve',
  /** the reservation ends without an admission (cancelled, expired, or the resident placed elsewhere) */
  'release',
  /** a stay moves onto the bed (admission, transfer in) */
  'occupy',
  /** the stay leaves the bed (discharge, transfer out) */
  'vacate',
  /** a person's PATCH to `vacant`, `maintenance` or `closed` */
  'set_vacant',
  'set_maintenance',
  'close',
] as const;
export type BedAction = (typeof BED_ACTIONS)[number];

/** from status → action → to status. Anything missing is illegal. */
export const BED_TRANSITIONS: {
  readonly [S in BedStatusValue]: Readonly<Partial<Record<BedAction, BedStatusValue>>>;
} = {
  vacant: {
    reserve: 'reserved',
    occupy: 'occupied',
    set_vacant: 'vacant',
    set_maintenance: 'maintenance',
    close: 'closed',
  },
  reserved: {
    reserve: 'reserved',
    release: 'vacant',
    occupy: 'occupied',
    set_vacant: 'vacant',
    set_maintenance: 'maintenance',
    close: 'closed',
  },
  occupied: { vacate: 'vacant' },
  maintenance: { set_vacant: 'vacant', set_maintenance: 'maintenance', close: 'closed' },
  closed: { set_vacant: 'vacant', set_maintenance: 'maintenance', close: 'closed' },
};

/** The action of a person's PATCH to a settable status. */
export const SET_BED_STATUS_ACTION = {
  vacant: 'set_vacant',
  maintenance: 'set_maintenance',
  closed: 'close',
} as const satisfies Record<'vacant' | 'maintenance' | 'closed', BedAction>;

/** The status an action leads to from `from`, or null when the table does not allow it. */
export function nextBedStatus(from: BedStatusValue, action: BedAction): BedStatusValue | null {
  return BED_TRANSITIONS[from]?.[action] ?? null;
}

/** The status after `action`; throws InvalidTransitionError (409 INVALID_TRANSITION) when it is not allowed. */
export function transitionBed(from: BedStatusValue, action: BedAction): BedStatusValue {
  const to = nextBedStatus(from, action);
  if (to === null) throw new InvalidTransitionError('Bed', from, action);
  return to;
}

/** The actions allowed from a status. */
export function allowedBedActions(from: BedStatusValue): BedAction[] {
  return BED_ACTIONS.filter((action) => nextBedStatus(from, action) !== null);
}
