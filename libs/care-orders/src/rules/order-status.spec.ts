import { InvalidTransitionError } from '@care/core';
import {
  ACTIVE_VISIT_STATUSES,
  FINAL_STATUSES,
  ORDER_ACTIONS,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  allowedActions,
  canTransition,
  isOrderStatus,
  nextStatus,
  transition,
  type OrderAction,
  type OrderStatus,
} from './order-status';

/** The whole table, written out once more by hand: status → action → next (absent = illegal). */
const EXPECTED: Record<OrderStatus, Partial<Record<OrderAction, OrderStatus>>> = {
  pending: { assign: 'assigned', mark_unassigned: 'unassigned', cancel: 'cancelled' },
  unassigned: { assign: 'assigned', mark_unassigned: 'unassigned', requeue: 'pending', cancel: 'cancelled' },
  assigned: { accept: 'accepted', decline: 'pending', requeue: 'pending', cancel: 'cancelled' },
  accepted: { check_in: 'in_progress', decline: 'pending', requeue: 'pending', cancel: 'cancelled' },
  in_progress: { check_out: 'completed', close: 'incomplete', expire: 'incomplete' },
  completed: {},
  cancelled: {},
  incomplete: {},
};

describe('care order transitions', () => {
  it('has a row for every status and names only known actions and statuses', () => {
    expect(Object.keys(ORDER_TRANSITIONS).sort()).toEqual([...ORDER_STATUSES].sort());
    for (const row of Object.values(ORDER_TRANSITIONS)) {
      for (const [action, to] of Object.entries(row)) {
        expect(ORDER_ACTIONS).toContain(action);
        expect(ORDER_STATUSES).toContain(to);
      }
    }
  });

  describe.each(ORDER_STATUSES.flatMap((from) => ORDER_ACTIONS.map((action) => [from, action] as const)))(
    '%s + %s',
    (from, action) => {
      const expected = EXPECTED[from][action];
      if (expected) {
        it(`→ ${expected}`, () => {
          expect(transition(from, action)).toBe(expected);
          expect(nextStatus(from, action)).toBe(expected);
          expect(canTransition(from, action)).toBe(true);
        });
      } else {
        it('is refused with INVALID_TRANSITION', () => {
          expect(canTransition(from, action)).toBe(false);
          expect(nextStatus(from, action)).toBeNull();
          expect(() => transition(from, action)).toThrow(InvalidTransitionError);
          try {
            transition(from, action);
          } catch (error) {
            expect(error).toMatchObject({ status: 409, code: 'INVALID_TRANSITION', details: { from, action } });
          }
        });
      }
    },
  );

  it('the caregiver path: pending → assigned → accepted → in_progress → completed', () => {
    let status: OrderStatus = 'pending';
    for (const action of ['assign', 'accept', 'check_in', 'check_out'] as const) status = transition(status, action);
    expect(status).toBe('completed');
  });

  it('check-in needs an accepted order; check-out a started one', () => {
    expect(canTransition('assigned', 'check_in')).toBe(false);
    expect(canTransition('pending', 'check_in')).toBe(false);
    expect(canTransition('accepted', 'check_out')).toBe(false);
  });

  it('a started or finished visit cannot be cancelled or declined', () => {
    for (const from of ['in_progress', 'completed', 'cancelled'] as const) {
      expect(canTransition(from, 'cancel')).toBe(false);
      expect(canTransition(from, 'decline')).toBe(false);
    }
  });

  it('final statuses allow nothing; every other status can still be cancelled or finished', () => {
    for (const status of FINAL_STATUSES) expect(allowedActions(status)).toEqual([]);
    for (const status of ORDER_STATUSES.filter((s) => !FINAL_STATUSES.includes(s)))
      expect(allowedActions(status).length).toBeGreaterThan(0);
  });

  it('every status is reachable from pending', () => {
    const seen = new Set<OrderStatus>(['pending']);
    const queue: OrderStatus[] = ['pending'];
    while (queue.length) {
      const from = queue.shift() as OrderStatus;
      for (const to of Object.values(ORDER_TRANSITIONS[from])) {
        if (to && !seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    expect([...seen].sort()).toEqual([...ORDER_STATUSES].sort());
  });

  it('visits hold a slot on the caregiver’s day while assigned, accepted, in progress, completed or closed incomplete', () => {
    expect([...ACTIVE_VISIT_STATUSES].sort()).toEqual([
      'accepted',
      'assigned',
      'completed',
      'in_progress',
      'incomplete',
    ]);
  });

  it('a visit left in progress is closed as incomplete (by the dispatcher or the alert job), never completed', () => {
    expect(transition('in_progress', 'close')).toBe('incomplete');
    expect(transition('in_progress', 'expire')).toBe('incomplete');
    for (const from of ORDER_STATUSES.filter((s) => s !== 'in_progress')) {
      expect(canTransition(from, 'close')).toBe(false);
      expect(canTransition(from, 'expire')).toBe(false);
    }
  });

  it('recognises statuses', () => {
    expect(isOrderStatus('pending')).toBe(true);
    expect(isOrderStatus('done')).toBe(false);
    expect(isOrderStatus(3)).toBe(false);
  });
});
