/**
 * The alerts the system raises by itself (contract: "Emergency calls (一键呼叫) and alerts"), defined once. Pure: no
 * Nest, no TypeORM. The alert job loads the orders that may be due and asks `dueAlerts` which alerts they are due;
 * the table's unique key (type, order) makes each one raised once, however many dispatchers scan at once.
 */

export const ALERT_TYPES = [
  'emergency_not_accepted',
  'emergency_not_arrived',
  'visit_not_started',
  'visit_missed',
  'visit_overrun',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export const ALERT_STATUSES = ['open', 'acknowledged'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

const MINUTE_MS = 60_000;
/** An emergency call's order not accepted within 5 minutes. */
export const EMERGENCY_ACCEPT_MS = 5 * MINUTE_MS;
/** An emergency call's order not checked in within 60 minutes. */
export const EMERGENCY_ARRIVE_MS = 60 * MINUTE_MS;
/** An assigned or accepted visit with no check-in 30 minutes before its window ends. */
export const NOT_STARTED_BEFORE_END_MS = 30 * MINUTE_MS;
/**
 * Visits whose window ended longer ago than this raise no visit alert any more (the first scan after an upgrade, or
 * after the dispatchers were down, must not flood the panel with last month's history).
 */
export const VISIT_ALERT_LOOKBACK_MS = 7 * 24 * 3600_000;
/** In progress for twice its planned duration. */
export const OVERRUN_FACTOR = 2;
/** A visit still in progress a day after its overrun alert is closed as `incomplete`. */
export const EXPIRE_AFTER_OVERRUN_MS = 24 * 3600_000;

/** Order statuses in which the caregiver has taken the order (or the visit is over). */
const TAKEN = new Set(['accepted', 'in_progress', 'completed', 'incomplete']);
const PLANNED = new Set(['assigned', 'accepted']);

/** What the alert rules need to know about one order (instants in epoch ms). */
export interface WatchedOrder {
  readonly status: string;
  readonly windowEnd: number;
  readonly durationMinutes: number;
  readonly checkedInAt: number | null;
  /** The emergency call that made the order, if any. */
  readonly call: { readonly receivedAt: number; readonly open: boolean } | null;
}

/** The alerts due for one order at `now` (whether already raised is the table's business). */
export function dueAlerts(order: WatchedOrder, now: number): AlertType[] {
  const due: AlertType[] = [];
  const checkedIn = order.checkedInAt !== null;
  const call = order.call;
  if (call?.open && order.status !== 'cancelled') {
    const notTaken = !TAKEN.has(order.status);
    // an emergency order left unassigned (even after widening) is not waited for: it is raised at once
    if (notTaken && (now - call.receivedAt >= EMERGENCY_ACCEPT_MS || order.status === 'unassigned'))
      due.push('emergency_not_accepted');
    if (!checkedIn && now - call.receivedAt >= EMERGENCY_ARRIVE_MS) due.push('emergency_not_arrived');
  }
  if (PLANNED.has(order.status) && !checkedIn && now - order.windowEnd <= VISIT_ALERT_LOOKBACK_MS) {
    if (now >= order.windowEnd) due.push('visit_missed');
    else if (now >= order.windowEnd - NOT_STARTED_BEFORE_END_MS) due.push('visit_not_started');
  }
  if (order.status === 'in_progress' && order.checkedInAt !== null) {
    if (now - order.checkedInAt >= OVERRUN_FACTOR * order.durationMinutes * MINUTE_MS) due.push('visit_overrun');
  }
  return due;
}

/** Whether a visit still in progress, whose overrun alert was raised at `overrunRaisedAt`, is closed as incomplete. */
export function isExpired(overrunRaisedAt: number, now: number): boolean {
  return now - overrunRaisedAt >= EXPIRE_AFTER_OVERRUN_MS;
}

/** A line for the alert's `detail`: what is late, in words a dispatcher reads (Chinese first, like the console). */
export function alertDetail(type: AlertType, order: WatchedOrder, now: number): string {
  const minutes = (from: number) => Math.floor((now - from) / MINUTE_MS);
  switch (type) {
    case 'emergency_not_accepted':
      return order.status === 'unassigned'
        ? '紧急工单无法派单（已扩大到服务圈外仍无人可派）'
        : `紧急呼叫 ${order.call ? minutes(order.call.receivedAt) : 0} 分钟无人接单`;
    case 'emergency_not_arrived':
      return `紧急呼叫 ${order.call ? minutes(order.call.receivedAt) : 0} 分钟仍未签到`;
    case 'visit_not_started':
      return `尚未签到，服务时段 ${Math.max(0, Math.ceil((order.windowEnd - now) / MINUTE_MS))} 分钟后结束`;
    case 'visit_missed':
      return `服务时段已结束 ${minutes(order.windowEnd)} 分钟，未签到`;
    case 'visit_overrun':
      return `已服务 ${order.checkedInAt === null ? 0 : minutes(order.checkedInAt)} 分钟（计划 ${order.durationMinutes} 分钟）`;
  }
}
