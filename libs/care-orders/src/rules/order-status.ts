/**
 * The care order's life cycle: ONE transitions table and ONE `transition()`. Every status change in the
 * system (HTTP actions here, the dispatcher's assignment in libs/dispatch) goes through it, so an illegal
 * move is always the same typed error (409 INVALID_TRANSITION at the edge). Pure: no Nest, no TypeORM.
 *
 *   pending ──assign──▶ assigned ──accept──▶ accepted ──check_in──▶ in_progress ──check_out──▶ completed
 *      │  ▲                │  │                 │  │
 *      │  └──requeue/decline┘  └───────────────────┘ (decline, requeue: back to dispatch)
 *      ├──mark_unassigned──▶ unassigned ──requeue──▶ pending   (unassigned ──assign──▶ assigned as well)
 *      └── cancel (from pending, assigned, accepted, unassigned) ──▶ cancelled
 *   in_progress ──close (dispatcher, with a reason) / expire (a day past its overrun alert)──▶ incomplete
 *   (`incomplete`: the visit began but was never checked out; it is counted nowhere as a completed visit)
 */
import { InvalidTransitionError } from '@care/core';

export const ORDER_STATUSES = [
  'pending',
  'assigned',
  'accepted',
  'in_progress',
  'completed',
  'unassigned',
  'cancelled',
  'incomplete',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_ACTIONS = [
  /** dispatch placed the order on a caregiver's day */
  'assign',
  /** dispatch could not place it (with a reason) */
  'mark_unassigned',
  /** back to dispatch: accept timeout, retry of an unassigned order, caregiver deactivated or changed */
  'requeue',
  /** the caregiver takes the assignment */
  'accept',
  /** the caregiver turns it down: recorded, dispatched again, never to the same caregiver */
  'decline',
  'check_in',
  'check_out',
  /** the dispatcher calls it off */
  'cancel',
  /** the dispatcher closes a visit left in progress (never checked out), with a reason */
  'close',
  /** the alert job closes a visit left in progress a day past its overrun alert */
  'expire',
] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

/** from status → action → to status. Anything missing is illegal. */
export const ORDER_TRANSITIONS: { readonly [S in OrderStatus]: Readonly<Partial<Record<OrderAction, OrderStatus>>> } = {
  pending: { assign: 'assigned', mark_unassigned: 'unassigned', cancel: 'cancelled' },
  unassigned: { assign: 'assigned', mark_unassigned: 'unassigned', requeue: 'pending', cancel: 'cancelled' },
  assigned: { accept: 'accepted', decline: 'pending', requeue: 'pending', cancel: 'cancelled' },
  accepted: { check_in: 'in_progress', decline: 'pending', requeue: 'pending', cancel: 'cancelled' },
  in_progress: { check_out: 'completed', close: 'incomplete', expire: 'incomplete' },
  completed: {},
  cancelled: {},
  incomplete: {},
};

/** Statuses in which an order occupies a slot on its caregiver's day (counts for overlap, travel and the daily cap). */
export const ACTIVE_VISIT_STATUSES: readonly OrderStatus[] = [
  'assigned',
  'accepted',
  'in_progress',
  'completed',
  'incomplete',
];

/** Statuses that never change again. */
export const FINAL_STATUSES: readonly OrderStatus[] = ['completed', 'cancelled', 'incomplete'];

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value);
}

/** The status an action leads to from `from`, or null when the table does not allow it. */
export function nextStatus(from: OrderStatus, action: OrderAction): OrderStatus | null {
  return ORDER_TRANSITIONS[from]?.[action] ?? null;
}

export function canTransition(from: OrderStatus, action: OrderAction): boolean {
  return nextStatus(from, action) !== null;
}

/** The status after `action`; throws InvalidTransitionError (409 INVALID_TRANSITION) when it is not allowed. */
export function transition(from: OrderStatus, action: OrderAction): OrderStatus {
  const to = nextStatus(from, action);
  if (to === null) throw new InvalidTransitionError('Care order', from, action);
  return to;
}

/** The actions allowed from a status (for views and the console's buttons). */
export function allowedActions(from: OrderStatus): OrderAction[] {
  return ORDER_ACTIONS.filter((action) => canTransition(from, action));
}
