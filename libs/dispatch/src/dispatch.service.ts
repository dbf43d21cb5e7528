import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  APP_CONFIG,
  type AppConfig,
  DEFAULT_TRAVEL_MODEL,
  JobQueue,
  TransactionRunner,
  type TravelModelOptions,
} from '@care/core';
import { DispatchEnqueuer } from '@care/care-orders';
import { type CaregiverFingerprint, DispatchRepository, type OrderFacts } from './dispatch.repository';
import {
  type CaregiverDay,
  caregiverEligibility,
  type DispatchOrder,
  dispatchOrder,
  evaluateInsertion,
  localDateOf,
  localDatesBetween,
  localMidnight,
  type PreparedOrder,
  prepareOrder,
  type RankedCandidate,
  sortVisits,
  type UnassignedReason,
} from './rules';

const DAY_MS = 24 * 3600_000;
const CONTINUITY_MS = 90 * DAY_MS;
/** Rounds of "decide, then commit under lock" before the job fails and BullMQ retries it with backoff. */
const MAX_ROUNDS = 6;
/**
 * EMERGENCY (issue 13): the travel model of the widened search for an emergency call's order: the service circle
 * grows to a whole day's travel, so every skilled caregiver whose shift and day allow the visit in the call's
 * two-hour window is a candidate (the nearest still wins: least added travel ranks first).
 */
const WIDENED_TRAVEL: TravelModelOptions = Object.freeze({
  ...DEFAULT_TRAVEL_MODEL,
  urbanServiceCircleMinutes: 24 * 60,
  ruralServiceCircleMinutes: 24 * 60,
});
/** Ranked candidates tried under lock in one round before deciding again from scratch. */
const CANDIDATES_PER_ROUND = 3;

export type DispatchOutcome =
  | {
      readonly outcome: 'assigned';
      readonly caregiverId: string;
      readonly plannedStart: Date;
      readonly explanation: string;
    }
  | { readonly outcome: 'unassigned'; readonly reason: UnassignedReason; readonly explanation: string }
  | { readonly outcome: 'skipped'; readonly why: string };

type Attempt = DispatchOutcome | { readonly outcome: 'again'; readonly why: string };

/** Raised when a dispatch keeps losing races for many rounds; the job fails and BullMQ retries it later. */
export class DispatchContentionError extends Error {
  constructor(orderId: string, why: string) {
    super(`dispatch of ${orderId} kept losing races (${why}); will be retried`);
    this.name = 'DispatchContentionError';
  }
}

/** The instant source, replaceable in tests. */
export const DISPATCH_CLOCK = Symbol('DISPATCH_CLOCK');
export type Clock = () => number;

/**
 * The dispatch use cases. The job handlers only unpack ids and call these.
 *
 * Placing an order: decide from a consistent-enough read (no locks) with the pure rules, then commit in ONE
 * transaction that locks the order row and the chosen caregiver's day (`caregiver_days` row, SELECT … FOR UPDATE),
 * re-reads that day and re-checks every hard rule on it before writing. Two workers can only place visits on one
 * caregiver-day one after the other, and each sees the other's visit: no double booking, whatever the number of
 * dispatcher processes. An order row lock plus the version check makes the assignment happen once.
 */
@Injectable()
export class DispatchService {
  private readonly logger = new Logger(DispatchService.name);
  private readonly travel: TravelModelOptions = DEFAULT_TRAVEL_MODEL;

  constructor(
    private readonly repo: DispatchRepository,
    private readonly tx: TransactionRunner,
    private readonly queue: JobQueue,
    private readonly enqueue: DispatchEnqueuer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DISPATCH_CLOCK) private readonly clock: Clock,
  ) {}

  /** DispatchOrder: place a pending order, or mark it unassigned with its reason. Idempotent. */
  async dispatch(orderId: string): Promise<DispatchOutcome> {
    let why = '';
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const attempt = await this.attempt(orderId);
      if (attempt.outcome !== 'again') return attempt;
      why = attempt.why;
    }
    throw new DispatchContentionError(orderId, why);
  }

  private async attempt(orderId: string): Promise<Attempt> {
    const now = this.clock();
    const order = await this.repo.order(orderId);
    if (!order) return { outcome: 'skipped', why: 'no such order' };
    if (order.status !== 'pending') return { outcome: 'skipped', why: `order is ${order.status}` };
    if (order.livingArrangement !== 'home') {
      return this.unassign(order, 'RESIDENT_NOT_AT_HOME', null, 'the resident does not live at home');
    }
    if (!order.location)
      return this.unassign(order, 'OUT_OF_SERVICE_CIRCLE', null, 'neither the home nor its township has coordinates');

    const catalogue = await this.repo.catalogue();
    const input: DispatchOrder = {
      id: order.id,
      residentId: order.residentId,
      location: order.location,
      kind: order.kind,
      services: order.services,
      durationMinutes: order.durationMinutes,
      windowStart: order.windowStart,
      windowEnd: order.windowEnd,
      priority: order.priority,
      declinedBy: order.declinedBy,
    };
    const prepared = prepareOrder(input, catalogue);
    // the fingerprint comes from the same statement (one snapshot) as the caregivers the decision is made from
    const { caregivers: skilled, fingerprint } = await this.repo.skilledActiveCaregiversWithFingerprint(
      prepared.skills,
    );
    // The dates still ahead in the window; a window already past is judged on its first date (nothing fits: the
    // rules then say why, NO_CAPACITY unless nobody skilled or nobody near).
    const ahead = localDatesBetween(Math.max(order.windowStart, now), order.windowEnd);
    const dates = ahead.length > 0 ? ahead : [localDateOf(order.windowStart)];

    // Only caregivers who pass the day-independent rules need their days and history loaded.
    const decide = async (travel: TravelModelOptions) => {
      const eligibleIds = skilled
        .filter((c) => caregiverEligibility(prepared, c, dates[0], travel) === null)
        .map((c) => c.id);
      const from = localMidnight(dates[0]);
      const to = localMidnight(dates[dates.length - 1]) + DAY_MS;
      const [visits, served] = await Promise.all([
        this.repo.visits(eligibleIds, from, to),
        this.repo.servedRecently(order.residentId, eligibleIds, new Date(now - CONTINUITY_MS)),
      ]);
      const days: CaregiverDay[] = skilled.flatMap((caregiver) =>
        dates.map((date) => ({
          caregiver: { ...caregiver, recentResidentIds: served.has(caregiver.id) ? [order.residentId] : [] },
          date,
          visits: (visits.get(caregiver.id) ?? []).filter((v) => localDateOf(v.plannedStart) === date),
        })),
      );
      return dispatchOrder(input, days, { catalogue, travel, notBefore: now });
    };
    let travel = this.travel;
    let decision = await decide(travel);
    // EMERGENCY (issue 13) — the one change to dispatch for emergency calls; carry it onto the rounds as is:
    // an emergency call's order that nobody inside the service circle can take is searched again past the circle
    // (the documented exception to hard rule 2, flagged `circle_widened` on the order) before it is left
    // unassigned, and then the alert job is woken at once (emergency_not_accepted is raised without waiting).
    let widened = false;
    if (!decision.ok && order.source === 'emergency') {
      const wider = await decide(WIDENED_TRAVEL);
      if (wider.ok) {
        travel = WIDENED_TRAVEL;
        widened = true;
      }
      decision = wider.ok
        ? wider
        : { ...wider, explanation: { summary: `${wider.explanation.summary} (searched past the service circle too)` } };
    }
    if (!decision.ok) {
      const result = await this.unassign(order, decision.reason, fingerprint, decision.explanation.summary);
      if (order.source === 'emergency' && result.outcome === 'unassigned')
        await this.wakeAlerts(order.id, order.version);
      return result;
    }

    for (const candidate of decision.ranked.slice(0, CANDIDATES_PER_ROUND)) {
      const committed = await this.commitAssignment(order, prepared, candidate, now, travel, widened);
      if (committed === 'slot-taken') continue;
      if (committed === 'order-changed') return { outcome: 'again', why: 'the order changed meanwhile' };
      await this.scheduleAcceptTimeout(order.id, committed.assignedAt);
      const explanation =
        candidate === decision.choice
          ? decision.explanation.summary
          : `${decision.explanation.summary} (taken meanwhile; placed on ${candidate.caregiverId})`;
      return {
        outcome: 'assigned',
        caregiverId: candidate.caregiverId,
        plannedStart: new Date(committed.plannedStart),
        explanation,
      };
    }
    return { outcome: 'again', why: 'the best slots were taken meanwhile' };
  }

  /**
   * One transaction: lock the order, lock the caregiver's day, re-read that day and the caregiver, re-check the
   * hard rules on it (the slot may move within the day if the day changed) and write the assignment.
   */
  private async commitAssignment(
    order: OrderFacts,
    prepared: PreparedOrder,
    candidate: RankedCandidate,
    now: number,
    travel: TravelModelOptions = this.travel,
    circleWidened = false,
  ): Promise<'slot-taken' | 'order-changed' | { assignedAt: Date; plannedStart: number }> {
    await this.repo.ensureCaregiverDay(candidate.caregiverId, candidate.date);
    return this.tx.run(async (em) => {
      const state = await this.repo.lockOrder(em, order.id);
      if (!state || state.status !== 'pending' || state.version !== order.version) return 'order-changed';
      if (!(await this.repo.lockCaregiverDay(em, candidate.caregiverId, candidate.date))) return 'slot-taken';
      // the shared lock the care-orders README promises: a caregiver change (PATCH locks the row FOR UPDATE and sends
      // back the visits it breaks) either committed before this read, or waits until this assignment is committed
      // and then sees it
      if (!(await this.repo.shareLockCaregiver(em, candidate.caregiverId))) return 'slot-taken';
      const from = localMidnight(candidate.date);
      const day = await this.repo.caregiverWithVisits(candidate.caregiverId, from, from + DAY_MS, em);
      if (!day) return 'slot-taken';
      const caregiver = day.caregiver;
      const visits = sortVisits(day.visits);
      const placed = evaluateInsertion(
        prepared,
        { caregiver, date: candidate.date, visits },
        { travel, notBefore: now },
      );
      if (!placed.ok) return 'slot-taken';
      const assignedAt = new Date(this.clock());
      const written = await this.repo.assign(em, state, {
        caregiverId: caregiver.id,
        plannedStart: placed.plannedStart,
        plannedEnd: placed.plannedEnd,
        travelMinutes: placed.travelMinutesFromPrevious,
        assignedAt,
        circleWidened,
      });
      if (!written) return 'order-changed';
      const next = visits[placed.position];
      if (next) await this.repo.setTravelMinutes(em, next.orderId, placed.travelMinutesToNext);
      return { assignedAt, plannedStart: placed.plannedStart };
    });
  }

  /**
   * Marks the order unassigned, unless it changed meanwhile or caregivers changed since the decision was made
   * (then decide again: a RetryUnassigned for that change may already have run and missed this order).
   */
  private async unassign(
    order: OrderFacts,
    reason: UnassignedReason,
    seen: CaregiverFingerprint | null,
    explanation: string,
  ): Promise<Attempt> {
    return this.tx.run(async (em): Promise<Attempt> => {
      const state = await this.repo.lockOrder(em, order.id);
      if (!state || state.status !== 'pending')
        return { outcome: 'skipped', why: `order is ${state?.status ?? 'gone'}` };
      if (state.version !== order.version) return { outcome: 'again', why: 'the order changed meanwhile' };
      if (seen) {
        const current = await this.repo.caregiverFingerprint(em);
        if (
          current.count !== seen.count ||
          current.versions !== seen.versions ||
          current.updatedAt !== seen.updatedAt
        ) {
          return { outcome: 'again', why: 'caregivers changed meanwhile' };
        }
      }
      if (!(await this.repo.markUnassigned(em, state, reason)))
        return { outcome: 'again', why: 'the order changed meanwhile' };
      return { outcome: 'unassigned', reason, explanation };
    });
  }

  /** EMERGENCY (issue 13): an emergency order left unassigned raises its alert now, not at the next minute's scan. */
  private async wakeAlerts(orderId: string, version: number): Promise<void> {
    try {
      await this.queue.add(
        'ScanAlerts',
        { trigger: `emergency order ${orderId} left unassigned` },
        { jobId: `ScanAlerts-unassigned-${orderId}-${version}` },
      );
    } catch (error) {
      this.logger.warn(
        `enqueue ScanAlerts for ${orderId} failed; the minute's scan will raise it: ${(error as Error).message}`,
      );
    }
  }

  private acceptTimeoutMs(): number {
    return this.config.dispatch.acceptTimeoutMinutes * 60_000;
  }

  private async scheduleAcceptTimeout(orderId: string, assignedAt: Date): Promise<void> {
    try {
      await this.queue.add(
        'AcceptTimeout',
        { orderId, assignedAt: assignedAt.toISOString() },
        { jobId: acceptTimeoutJobId(orderId, assignedAt), delay: this.acceptTimeoutMs() },
      );
    } catch (error) {
      this.logger.warn(
        `enqueue AcceptTimeout for ${orderId} failed; the sweep will catch it: ${(error as Error).message}`,
      );
    }
  }

  /**
   * AcceptTimeout: an assignment still not accepted goes back to dispatch. The caregiver who let it lapse is recorded
   * like a decliner (so the order does not bounce back to the same person). Idempotent: only the very assignment
   * the job names (same assigned-at instant) is released.
   */
  async acceptTimeout(orderId: string, assignedAt: string): Promise<'requeued' | 'skipped'> {
    const expected = Date.parse(assignedAt);
    const requeued = await this.tx.run(async (em) => {
      const state = await this.repo.lockOrder(em, orderId);
      if (!state || state.status !== 'assigned' || state.assignedAt !== expected || !state.caregiverId) return null;
      await this.repo.recordLapse(
        em,
        orderId,
        state.caregiverId,
        `ACCEPT_TIMEOUT: not accepted within ${this.config.dispatch.acceptTimeoutMinutes} min`,
      );
      return (await this.repo.requeue(em, state))
        ? { id: orderId, version: state.version + 1, priority: state.priority }
        : null;
    });
    if (requeued === null) return 'skipped';
    await this.enqueue.dispatch([requeued]);
    return 'requeued';
  }

  /**
   * RetryUnassigned: caregivers or shifts changed, so every unassigned order whose window is still open goes back to
   * dispatch (county-wide: a service circle crosses township borders, so `regionCode` is only logged).
   */
  async retryUnassigned(reason: string, regionCode?: string): Promise<number> {
    const now = new Date(this.clock());
    const orders = await this.tx.run(async (em) => {
      const rows = await this.repo.lockRetryableUnassigned(em, now, 5000);
      await this.repo.requeueMany(
        em,
        rows.map((r) => r.id),
      );
      return rows.map((r) => ({ ...r, version: r.version + 1 }));
    });
    await this.enqueue.dispatch(orders);
    this.logger.log(
      `retry of unassigned orders (${reason}${regionCode ? `, region ${regionCode}` : ''}): ${orders.length} requeued`,
    );
    return orders.length;
  }

  /**
   * SweepPendingOrders: the safety net for lost jobs. Orders pending for longer than the sweep period get a fresh
   * round (DispatchRound, through the enqueuer) (the api may have died between commit and enqueue, Redis may have lost the job, or it may
   * have failed for good), and assignments past the accept timeout get their AcceptTimeout job again.
   */
  async sweep(): Promise<{ pending: number; lapsed: number }> {
    const now = this.clock();
    const periodMs = this.config.dispatch.sweepSeconds * 1000;
    const bucket = Math.floor(now / periodMs);
    const pending = await this.repo.stalePending(new Date(now - periodMs), 2000);
    // to the rounds, like every other way in (fresh job ids: the orders' first jobs may be done and kept)
    await this.enqueue.dispatch(pending, `-sweep-${bucket}`);
    const lapsed = await this.repo.lapsedAssignments(new Date(now - this.acceptTimeoutMs()), 2000);
    if (lapsed.length > 0) {
      await this.queue.addBulk(
        'AcceptTimeout',
        lapsed.map((o) => ({
          payload: { orderId: o.id, assignedAt: o.assignedAt.toISOString() },
          options: { jobId: acceptTimeoutJobId(o.id, o.assignedAt) },
        })),
      );
    }
    if (pending.length + lapsed.length > 0)
      this.logger.log(`sweep: ${pending.length} pending order(s), ${lapsed.length} lapsed assignment(s) re-enqueued`);
    return { pending: pending.length, lapsed: lapsed.length };
  }
}

/** One AcceptTimeout job per assignment (BullMQ ids may not contain ':'). */
export function acceptTimeoutJobId(orderId: string, assignedAt: Date): string {
  return `AcceptTimeout-${orderId}-${assignedAt.getTime()}`;
}
