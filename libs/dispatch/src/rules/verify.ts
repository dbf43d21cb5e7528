import { hasSkills, orderDurationMinutes, requiredSkills, UnknownServiceError } from './catalogue';
import { visitOf } from './feasibility';
import { isInServiceCircle } from './geo';
import type { Plan } from './planner';
import { type DayViolationCode, dayViolations } from './schedule';
import { formatLocal, localDateOf, MINUTE_MS } from './time';
import type { DispatchCaregiver, PlannedVisit } from './types';

export type HardRule = 1 | 2 | 3 | 4 | 5 | 6;

export type ViolationCode =
  | 'UNKNOWN_ORDER'
  | 'UNKNOWN_CAREGIVER'
  | 'UNKNOWN_SERVICE'
  | 'CAREGIVER_INACTIVE' // 1
  | 'MISSING_SKILL' // 1
  | 'OUT_OF_SERVICE_CIRCLE' // 2
  | 'WRONG_DURATION' // 3
  | 'OUTSIDE_WINDOW' // 3
  | 'WRONG_DATE' // 3: the assignment's date is not the local date of its start
  | DayViolationCode // 3 (OUTSIDE_SHIFT), 4, 5 (MAX_DAILY_VISITS)
  | 'DECLINED_BEFORE' // 5
  | 'DOUBLE_BOOKED' // 6: an order assigned more than once
  | 'ASSIGNED_AND_UNASSIGNED'; // 6: an order both assigned and reported unassigned

export interface Violation {
  readonly rule: HardRule | 0;
  readonly code: ViolationCode;
  readonly orderId?: string;
  readonly caregiverId?: string;
  readonly message: string;
}

const RULE_OF_DAY_CODE: Record<DayViolationCode, HardRule> = {
  OUTSIDE_SHIFT: 3,
  OVERLAP: 4,
  TRAVEL_FROM_SERVICE_POINT: 4,
  TRAVEL_BETWEEN_VISITS: 4,
  TRAVEL_BACK: 4,
  MAX_DAILY_VISITS: 5,
};

/**
 * Every breach of the six hard rules of domain.md §5 in a plan (an empty list: the plan is sound). Used by unit
 * and property tests, by benchmarks, and by the fault test on what MySQL holds after a crash.
 */
export function verifyHardRules(plan: Plan): Violation[] {
  const out: Violation[] = [];
  const orders = new Map(plan.orders.map((o) => [o.id, o]));
  const caregivers = new Map(plan.caregivers.map((c) => [c.id, c]));
  const seen = new Map<string, number>();
  const days = new Map<string, { caregiver: DispatchCaregiver; date: string; visits: PlannedVisit[] }>();

  for (const a of plan.assignments) {
    const at = { orderId: a.orderId, caregiverId: a.caregiverId };
    seen.set(a.orderId, (seen.get(a.orderId) ?? 0) + 1);
    const order = orders.get(a.orderId);
    const caregiver = caregivers.get(a.caregiverId);
    if (!order) out.push({ rule: 0, code: 'UNKNOWN_ORDER', ...at, message: `order ${a.orderId} is not in the plan` });
    if (!caregiver)
      out.push({ rule: 0, code: 'UNKNOWN_CAREGIVER', ...at, message: `caregiver ${a.caregiverId} is not in the plan` });
    if (!order || !caregiver) continue;

    // Rule 1
    if (!caregiver.active)
      out.push({ rule: 1, code: 'CAREGIVER_INACTIVE', ...at, message: `caregiver ${caregiver.id} is not active` });
    let duration: number | null = null;
    try {
      const needed = requiredSkills(order, plan.catalogue);
      if (!hasSkills(caregiver.skills, needed)) {
        const missing = needed.filter((s) => !caregiver.skills.includes(s));
        out.push({
          rule: 1,
          code: 'MISSING_SKILL',
          ...at,
          message: `caregiver ${caregiver.id} lacks ${missing.join(', ')}`,
        });
      }
      duration = orderDurationMinutes(order, plan.catalogue);
    } catch (error) {
      if (!(error instanceof UnknownServiceError)) throw error;
      out.push({ rule: 0, code: 'UNKNOWN_SERVICE', ...at, message: error.message });
    }

    // Rule 2
    if (!isInServiceCircle(caregiver.servicePoint, order.location, order.kind, plan.travel)) {
      out.push({
        rule: 2,
        code: 'OUT_OF_SERVICE_CIRCLE',
        ...at,
        message: `resident of ${order.id} is outside ${caregiver.id}'s service circle`,
      });
    }

    // Rule 3 (window and duration; the shift is checked per day below)
    if (duration !== null && a.plannedEnd !== a.plannedStart + duration * MINUTE_MS) {
      out.push({
        rule: 3,
        code: 'WRONG_DURATION',
        ...at,
        message: `visit of ${order.id} lasts ${(a.plannedEnd - a.plannedStart) / MINUTE_MS} min, not ${duration}`,
      });
    }
    if (a.plannedStart < order.windowStart || a.plannedEnd > order.windowEnd || a.plannedEnd < a.plannedStart) {
      out.push({
        rule: 3,
        code: 'OUTSIDE_WINDOW',
        ...at,
        message: `visit ${formatLocal(a.plannedStart)}–${formatLocal(a.plannedEnd)} of ${order.id} is outside its window ${formatLocal(order.windowStart)}–${formatLocal(order.windowEnd)}`,
      });
    }
    const date = localDateOf(a.plannedStart);
    if (a.date !== date)
      out.push({
        rule: 3,
        code: 'WRONG_DATE',
        ...at,
        message: `visit of ${order.id} starts on ${date}, not ${a.date}`,
      });

    // Rule 5 (declined)
    if (order.declinedBy?.includes(caregiver.id)) {
      out.push({
        rule: 5,
        code: 'DECLINED_BEFORE',
        ...at,
        message: `caregiver ${caregiver.id} declined ${order.id} before`,
      });
    }

    const key = `${caregiver.id}|${date}`;
    const day = days.get(key) ?? { caregiver, date, visits: [] };
    day.visits.push(visitOf(order, a.plannedStart, a.plannedEnd));
    days.set(key, day);
  }

  // Rules 3 (shift), 4, 5 (count), per caregiver day
  for (const { caregiver, date, visits } of days.values()) {
    for (const v of dayViolations(caregiver, date, visits, plan.travel)) {
      out.push({
        rule: RULE_OF_DAY_CODE[v.code],
        code: v.code,
        orderId: v.orderId,
        caregiverId: caregiver.id,
        message: v.message,
      });
    }
  }

  // Rule 6
  for (const [orderId, n] of seen) {
    if (n > 1)
      out.push({ rule: 6, code: 'DOUBLE_BOOKED', orderId, message: `order ${orderId} is assigned ${n} times` });
  }
  for (const u of plan.unassigned) {
    if (seen.has(u.orderId))
      out.push({
        rule: 6,
        code: 'ASSIGNED_AND_UNASSIGNED',
        orderId: u.orderId,
        message: `order ${u.orderId} is both assigned and unassigned`,
      });
  }
  return out;
}
