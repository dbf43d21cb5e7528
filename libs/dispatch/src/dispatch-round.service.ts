import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  APP_CONFIG,
  type AppConfig,
  DEFAULT_TRAVEL_MODEL,
  JobQueue,
  TransactionRunner,
  type TravelModelOptions,
} from '@care/core';
import { DISPATCH_PRIORITY, roundWindow } from '@care/care-orders';
import {
  type CaregiverFingerprint,
  DispatchRepository,
  type OrderFacts,
  type OrderState,
  type PendingRef,
} from './dispatch.repository';
import { PartitionLeases } from './partition-leases';
import { acceptTimeoutJobId, type Clock, DISPATCH_CLOCK, DispatchService } from './dispatch.service';
import {
  type DispatchCaregiver,
  type DispatchOrder,
  dayRoute,
  evaluateInsertion,
  improvePlan,
  insertionAt,
  localDateOf,
  localMidnight,
  planDay,
  type PlannedVisit,
  partitionOf,
  type PartitionPoint,
  pickRound,
  ROUNDS_PER_LEASE,
  prepareOrder,
  serviceCircleRadiusKm,
  servicePointPartitions,
  sortVisits,
  visitOf,
} from './rules';

const DAY_MS = 24 * 3600_000;
/** The group of orders no service circle can hold (they are marked unassigned, OUT_OF_SERVICE_CIRCLE). */
const NO_PARTITION = 'none';

const CONTINUITY_MS = 90 * DAY_MS;
/**
 * The local search's budget in an urgent-only round: the order's latency counts more than minutes of travel there
 * (the search keeps every placement, so a short budget never places fewer; the next full round plans the rest).
 */
const URGENT_SEARCH_BUDGET_MS = 50;
/** How long the service points' partitions are reused in-process (service points change rarely; a round re-checks). */
const PARTITIONS_TTL_MS = 10_000;

export interface RoundTally {
  assigned: number;
  unassigned: number;
  /** Orders the round could not commit as planned (a slot taken, an order or caregiver changed): planned again. */
  replanned: number;
  /** Pending orders of the partition left for a later round (more than ROUND_MAX_ORDERS were waiting). */
  more?: boolean;
}

/** What a DispatchRound job did: rounds run, or the request left to the partition's holder (its "want" flag). */
export type RoundOutcome =
  | ({ readonly outcome: 'rounds'; readonly partition: string; readonly rounds: number } & RoundTally)
  | { readonly outcome: 'requested'; readonly partitions: readonly string[] }
  | { readonly outcome: 'deferred'; readonly partition: string }
  | { readonly outcome: 'skipped'; readonly why: string };

const emptyTally = (): RoundTally => ({ assigned: 0, unassigned: 0, replanned: 0 });

/**
 * Dispatch in rounds: a partition's pending orders (at most ROUND_MAX_ORDERS, urgent first) are planned TOGETHER by
 * the planner (`planDay`: urgent first, then the tightest windows, cheapest insertion, ejections, never fewer than
 * greedy, then `improvePlan`'s local search), around the visits already on the caregivers' days, and the round is
 * committed in ONE transaction: the orders locked in key order, then the caregiver-days it touches (key order),
 * then shared locks on those caregivers; every planned visit is checked again against the days as they stand under
 * the locks (every hard rule, `evaluateInsertion`) and written through care-orders' version-checked writer. What
 * fails the check stays pending and is planned again in the next round.
 *
 * Every way into dispatch ends here (DispatchRound jobs): the debounced intake of normal orders and DispatchBatch
 * split into one job per partition; an urgent order runs its partition's round at once. A partition is planned
 * under its Redis lease; a dispatcher that finds it taken sets the partition's "want" flag instead, and the holder
 * runs one more round before letting go, so no request is lost.
 */
@Injectable()
export class DispatchRoundService {
  private readonly logger = new Logger(DispatchRoundService.name);
  private readonly travel: TravelModelOptions = DEFAULT_TRAVEL_MODEL;
  private cachedPartitions: { points: PartitionPoint[]; partitions: Map<string, string>; until: number } | null = null;

  constructor(
    private readonly repo: DispatchRepository,
    private readonly tx: TransactionRunner,
    private readonly queue: JobQueue,
    private readonly single: DispatchService,
    private readonly leases: PartitionLeases,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DISPATCH_CLOCK) private readonly clock: Clock,
  ) {}

  /** A DispatchRound job: `{ orderId }` an urgent order's round now, `{ partition }` a round, `{}` the intake. */
  async handle(payload: { partition?: string; orderId?: string }): Promise<RoundOutcome> {
    if (payload.orderId) return this.urgent(payload.orderId);
    if (payload.partition) return this.runPartition(payload.partition);
    return this.intake();
  }

  /** DispatchBatch: the batch's pending orders split into the rounds of their partitions. */
  async dispatchBatch(batchId: string): Promise<RoundOutcome> {
    const pending = await this.repo.pendingOrdersOfBatch(batchId);
    if (pending.length === 0) return { outcome: 'skipped', why: 'no pending order in the batch' };
    return this.requestRounds(await this.repo.pendingOrderRefs(pending.map((o) => o.id)));
  }

  /** The debounced intake (and the sweep): every partition with pending orders gets a round. */
  async intake(): Promise<RoundOutcome> {
    return this.requestRounds(await this.repo.pendingOrderRefs());
  }

  /**
   * An urgent order: its partition's round starts now, in this job, and plans the partition's urgent orders only, so
   * a backlog of normal orders does not slow it down (they have rounds of their own).
   */
  async urgent(orderId: string): Promise<RoundOutcome> {
    const [ref] = await this.repo.pendingOrderRefs([orderId]);
    if (!ref) return { outcome: 'skipped', why: 'the order is no longer pending' };
    return this.runPartition(await this.partitionOfRef(ref), true);
  }

  /**
   * One DispatchRound job per partition that has pending orders, urgent priority when any of them is urgent. The
   * partition's want flag is set first: should the job id of this debounce window already be taken by a job that is
   * running now, its round started before these orders and the flag makes its holder run one more.
   */
  private async requestRounds(refs: readonly PendingRef[]): Promise<RoundOutcome> {
    const urgentOf = new Map<string, boolean>();
    for (const ref of refs) {
      const partition = await this.partitionOfRef(ref);
      urgentOf.set(partition, (urgentOf.get(partition) ?? false) || ref.priority === 'urgent');
    }
    const { window } = roundWindow(this.clock());
    for (const partition of urgentOf.keys()) await this.leases.want(partition);
    await this.queue.addBulk(
      'DispatchRound',
      [...urgentOf].map(([partition, urgent]) => ({
        payload: { partition },
        options: {
          jobId: `DispatchRound-${partition}-${window}`,
          priority: DISPATCH_PRIORITY[urgent ? 'urgent' : 'normal'],
        },
      })),
    );
    return { outcome: 'requested', partitions: [...urgentOf.keys()] };
  }

  /**
   * Rounds over one partition under its lease. Taken by another: set the want flag, try once more (the holder may
   * have let go meanwhile), else leave the request to the holder. Under the lease: clear the flag, run a round; go
   * on while orders are left and rounds make progress, or someone wants another (at most ROUNDS_PER_LEASE, then a
   * fresh job, so one partition cannot hold a worker forever). After letting go, a flag set meanwhile gets a job.
   * `urgentFirst`: the first round takes the urgent orders only, and leaves the flag for a full round after it.
   */
  async runPartition(partition: string, urgentFirst = false): Promise<RoundOutcome> {
    const tally = emptyTally();
    let rounds = 0;
    let again = false;
    let done = await this.leases.withLease(partition, async () => {
      for (let urgentOnly = urgentFirst; rounds < ROUNDS_PER_LEASE;) {
        if (!urgentOnly) await this.leases.clearWant(partition);
        const r = await this.round(partition, urgentOnly);
        rounds++;
        tally.assigned += r.assigned;
        tally.unassigned += r.unassigned;
        tally.replanned += r.replanned;
        // an urgent order arrived meanwhile (its job found the lease taken): its round comes before the backlog's;
        // the want flag stays set, so the full round follows
        urgentOnly = await this.leases.takeUrgent(partition);
        if (urgentOnly) continue;
        const progress = r.assigned + r.unassigned > 0;
        if ((r.more || r.replanned > 0) && progress) continue;
        if (await this.leases.wanted(partition)) continue;
        return;
      }
      again = true;
    });
    if (!done) {
      if (urgentFirst) await this.leases.wantUrgent(partition);
      await this.leases.want(partition);
      // the holder may have let go between our two tries: then its check of the flag may have come before our SET
      done = await this.leases.withLease(partition, async () => {
        // an urgent order's round stays urgent-only (quick), and the full round it leaves is asked for below
        const urgentOnly = urgentFirst && (await this.leases.takeUrgent(partition));
        if (!urgentOnly) await this.leases.clearWant(partition);
        const r = await this.round(partition, urgentOnly);
        rounds++;
        tally.assigned += r.assigned;
        tally.unassigned += r.unassigned;
        tally.replanned += r.replanned;
        again = r.more === true || (await this.leases.wanted(partition));
      });
      if (!done) return { outcome: 'deferred', partition };
    }
    if (again || (await this.leases.wanted(partition))) {
      await this.queue.add(
        'DispatchRound',
        { partition },
        { jobId: `DispatchRound-${partition}-again-${this.clock()}-${rounds}` },
      );
    }
    return { outcome: 'rounds', partition, rounds, ...tally };
  }

  /** One round of the partition: its pending orders (or its urgent ones only), at most ROUND_MAX_ORDERS, urgent first. */
  async round(partition: string, urgentOnly = false): Promise<RoundTally> {
    const t0 = performance.now();
    // only the partition's box is read (not every pending order of the county), then each ref's partition checked
    const box = partition === NO_PARTITION ? undefined : await this.boxOf(partition);
    const refs = await this.repo.pendingOrderRefs(undefined, undefined, { urgentOnly, box });
    const mine: PendingRef[] = [];
    for (const ref of refs) {
      if (urgentOnly && ref.priority !== 'urgent') continue;
      if ((await this.partitionOfRef(ref)) === partition) mine.push(ref);
    }
    if (mine.length === 0) return emptyTally();
    const { picked, more } = pickRound(mine);
    const result = await this.roundOf(
      picked.map((o) => o.id),
      partition,
      performance.now() - t0,
      urgentOnly ? URGENT_SEARCH_BUDGET_MS : undefined,
    );
    return { ...result, more };
  }

  /**
   * The box of latitudes and longitudes around the partition's service points that holds every home its circles
   * may hold (the radius as degrees, a little wider); undefined when the partition has no point (read it all).
   */
  private async boxOf(
    partition: string,
  ): Promise<{ minLat: number; maxLat: number; minLng: number; maxLng: number } | undefined> {
    const { points, partitions } = await this.partitions();
    const mine = points.filter((p) => partitions.get(p.id) === partition);
    if (mine.length === 0) return undefined;
    const radiusKm = serviceCircleRadiusKm(this.travel) * 1.05 + 1;
    const lats = mine.map((p) => p.location.lat);
    const maxAbsLat = Math.min(89, Math.max(...lats.map((l) => Math.abs(l))) + radiusKm / 111);
    const dLat = radiusKm / 110.5;
    const dLng = radiusKm / (111.3 * Math.cos((maxAbsLat * Math.PI) / 180));
    const lngs = mine.map((p) => p.location.lng);
    return {
      minLat: Math.min(...lats) - dLat,
      maxLat: Math.max(...lats) + dLat,
      minLng: Math.min(...lngs) - dLng,
      maxLng: Math.max(...lngs) + dLng,
    };
  }

  private async partitionOfRef(ref: PendingRef): Promise<string> {
    if (!ref.location) return NO_PARTITION;
    const { points, partitions } = await this.partitions();
    return partitionOf(ref.location, points, partitions, serviceCircleRadiusKm(this.travel)) || NO_PARTITION;
  }

  private async partitions(): Promise<{ points: PartitionPoint[]; partitions: Map<string, string> }> {
    const now = Date.now();
    if (this.cachedPartitions && this.cachedPartitions.until > now) return this.cachedPartitions;
    const points = await this.repo.servicePoints();
    const partitions = servicePointPartitions(points, serviceCircleRadiusKm(this.travel));
    // an empty list is not kept: service points may be loaded after the dispatcher started
    if (points.length > 0) this.cachedPartitions = { points, partitions, until: now + PARTITIONS_TTL_MS };
    return { points, partitions };
  }

  /** One round over these orders (those no longer pending are left alone). */
  async roundOf(
    orderIds: readonly string[],
    partition: string | null = null,
    pickMs = 0,
    searchBudgetMs?: number,
  ): Promise<RoundTally> {
    const now = this.clock();
    // milliseconds by phase, for the round's log line (where a slow round spends its time)
    const phases: Record<string, number> = { pick: pickMs };
    let mark = performance.now();
    const lap = (name: string): void => {
      const t = performance.now();
      phases[name] = t - mark;
      mark = t;
    };
    const facts = (await this.repo.orders(orderIds)).filter((o) => o.status === 'pending');
    const tally: RoundTally = { assigned: 0, unassigned: 0, replanned: 0 };
    // orders the rules cannot plan at all (not at home, no coordinates) take the single path, which says why
    const odd = facts.filter((o) => o.livingArrangement !== 'home' || !o.location);
    for (const o of odd) {
      const outcome = await this.single.dispatch(o.id);
      if (outcome.outcome === 'unassigned') tally.unassigned++;
      if (outcome.outcome === 'assigned') tally.assigned++;
    }
    const plannable = facts.filter((o) => o.livingArrangement === 'home' && o.location);
    if (plannable.length === 0) return tally;

    const catalogue = await this.repo.catalogue();
    const orders: DispatchOrder[] = plannable.map((o) => toDispatchOrder(o));
    const byId = new Map(orders.map((o) => [o.id, o]));
    const factsById = new Map(plannable.map((o) => [o.id, o]));
    const { caregivers: active, fingerprint } = await this.repo.skilledActiveCaregiversWithFingerprint([]);
    const recent = await this.repo.recentlyServed(
      [...new Set(orders.map((o) => o.residentId))],
      new Date(now - CONTINUITY_MS),
    );
    // the partition's caregivers only (no other can serve its homes); all of them without a partition
    let inPartition: (c: DispatchCaregiver) => boolean = () => true;
    if (partition !== null && partition !== NO_PARTITION) {
      const { points, partitions } = await this.partitions();
      const at = new Map(points.map((p) => [`${p.location.lat},${p.location.lng}`, partitions.get(p.id)]));
      inPartition = (c) => at.get(`${c.servicePoint.lat},${c.servicePoint.lng}`) === partition;
    }
    const caregivers: DispatchCaregiver[] = active
      .filter(inPartition)
      .map((c) => ({ ...c, recentResidentIds: recent.get(c.id) ?? [] }));
    const from = localMidnight(localDateOf(Math.max(now, Math.min(...orders.map((o) => o.windowStart)))));
    const to = localMidnight(localDateOf(Math.max(...orders.map((o) => o.windowEnd)))) + DAY_MS;
    const visits = await this.repo.visits(
      caregivers.map((c) => c.id),
      from,
      to,
    );
    lap('read');
    const existing = new Map<string, PlannedVisit[]>();
    for (const [caregiverId, list] of visits) {
      for (const v of list) {
        const key = `${caregiverId}|${localDateOf(v.plannedStart)}`;
        existing.set(key, [...(existing.get(key) ?? []), v]);
      }
    }
    const planned = planDay(orders, caregivers, catalogue, { travel: this.travel, existing, notBefore: now });
    // local search within its time budget; it keeps every order placed, so never fewer than planDay (nor greedy)
    lap('plan');
    const plan = improvePlan(planned, { existing, notBefore: now, budgetMs: searchBudgetMs });
    lap('search');
    // EMERGENCY (issue 13): an emergency order nobody in the circle can take goes the single way, which searches
    // past the circle and wakes the alerts; the round does not mark it unassigned
    const emergencyIds = new Set(plannable.filter((o) => o.source === 'emergency').map((o) => o.id));
    const leftEmergency = plan.unassigned.filter((u) => emergencyIds.has(u.orderId)).map((u) => u.orderId);
    const toUnassign = plan.unassigned.filter((u) => !emergencyIds.has(u.orderId));

    // the caregiver-day rows the round will lock exist beforehand (autocommit, once per process and day)
    const touched = new Map<string, { caregiverId: string; date: string }>();
    for (const a of plan.assignments)
      touched.set(`${a.caregiverId}|${a.date}`, { caregiverId: a.caregiverId, date: a.date });
    await this.repo.ensureCaregiverDays([...touched.values()]);
    const days = [...touched.values()].sort((a, b) =>
      a.caregiverId < b.caregiverId
        ? -1
        : a.caregiverId > b.caregiverId
          ? 1
          : a.date < b.date
            ? -1
            : a.date > b.date
              ? 1
              : 0,
    );

    lap('days');
    const committed = await this.tx.run(async (em) => {
      const out = { assigned: [] as { id: string; assignedAt: Date }[], unassigned: 0, replanned: 0 };
      const states = await this.repo.lockOrders(
        em,
        plannable.map((o) => o.id),
      );
      const current = (id: string) => {
        const state = states.get(id);
        const seen = factsById.get(id);
        return state && seen && state.status === 'pending' && state.version === seen.version ? state : null;
      };
      const locked = await this.repo.lockCaregiverDays(em, days);
      const lockedCaregivers = await this.repo.shareLockCaregivers(em, [...new Set(days.map((d) => d.caregiverId))]);
      // the touched days as they stand now, under the locks
      const now2 = await this.repo.visits([...lockedCaregivers.keys()], from, to, em);
      const dayVisits = new Map<string, PlannedVisit[]>();
      for (const [caregiverId, list] of now2) {
        for (const v of list) {
          const key = `${caregiverId}|${localDateOf(v.plannedStart)}`;
          dayVisits.set(key, [...(dayVisits.get(key) ?? []), v]);
        }
      }
      const travelChanged = new Set<string>();
      const assignedAt = new Date(this.clock());
      const ordered = [...plan.assignments].sort((a, b) => a.plannedStart - b.plannedStart);
      // every placement checked first, then written in multi-row statements (the rows are locked and their
      // versions checked above, so each write holds; one that does not rolls the whole round back)
      const placements: Parameters<DispatchRepository['assignMany']>[1][number][] = [];
      for (const a of ordered) {
        const key = `${a.caregiverId}|${a.date}`;
        const state = current(a.orderId);
        const order = byId.get(a.orderId);
        const caregiver = lockedCaregivers.get(a.caregiverId);
        if (!state || !order) continue;
        if (!caregiver || !locked.has(key)) {
          out.replanned++;
          continue;
        }
        const prepared = prepareOrder(order, catalogue);
        const dayNow = sortVisits(dayVisits.get(key) ?? []);
        const lockedDay = { caregiver: { ...caregiver, recentResidentIds: [] }, date: a.date, visits: dayNow };
        // the slot the plan chose, if it still holds under the locks; else the best the day allows now
        const placed =
          insertionAt(prepared, lockedDay, a.plannedStart, { travel: this.travel, notBefore: now }) ??
          evaluateInsertion(prepared, lockedDay, { travel: this.travel, notBefore: now });
        if (!placed.ok) {
          out.replanned++;
          continue;
        }
        placements.push({
          order: state,
          caregiverId: caregiver.id,
          plannedStart: placed.plannedStart,
          plannedEnd: placed.plannedEnd,
          travelMinutes: placed.travelMinutesFromPrevious,
          assignedAt,
        });
        dayVisits.set(key, [...dayNow, visitOf(order, placed.plannedStart, placed.plannedEnd)]);
        travelChanged.add(key);
        out.assigned.push({ id: order.id, assignedAt });
      }
      const written = await this.repo.assignMany(em, placements);
      if (written !== placements.length) {
        throw new Error(`round commit: ${written} of ${placements.length} assignments written under the locks`);
      }
      // the travel into every visit of the days the round changed, as the days finally stand
      const travel = new Map<string, number>();
      for (const key of travelChanged) {
        const caregiver = lockedCaregivers.get(key.slice(0, key.lastIndexOf('|')));
        if (!caregiver) continue;
        const route = dayRoute(caregiver, dayVisits.get(key) ?? [], this.travel);
        route.visits.forEach((v, i) => travel.set(v.orderId, route.legs[i]));
      }
      await this.repo.setTravelMinutesMany(em, travel);

      // "unassigned" only when the caregivers are as the plan saw them (else a RetryUnassigned may have missed it)
      if (toUnassign.length > 0 && (await this.unchanged(em, fingerprint))) {
        const marks: { order: OrderState; reason: (typeof toUnassign)[number]['reason'] }[] = [];
        for (const u of toUnassign) {
          const state = current(u.orderId);
          if (state) marks.push({ order: state, reason: u.reason });
        }
        const unassigned = await this.repo.markUnassignedMany(em, marks);
        if (unassigned !== marks.length) {
          throw new Error(`round commit: ${unassigned} of ${marks.length} orders marked unassigned under the locks`);
        }
        out.unassigned += unassigned;
      } else {
        out.replanned += toUnassign.length;
      }
      await this.faultPause(partition);
      return out;
    });
    lap('commit');
    for (const id of leftEmergency) {
      const outcome = await this.single.dispatch(id);
      if (outcome.outcome === 'assigned') tally.assigned++;
      if (outcome.outcome === 'unassigned') tally.unassigned++;
    }

    if (committed.assigned.length > 0) {
      try {
        await this.queue.addBulk(
          'AcceptTimeout',
          committed.assigned.map((a) => ({
            payload: { orderId: a.id, assignedAt: a.assignedAt.toISOString() },
            options: {
              jobId: acceptTimeoutJobId(a.id, a.assignedAt),
              delay: this.config.dispatch.acceptTimeoutMinutes * 60_000,
            },
          })),
        );
      } catch (error) {
        this.logger.warn(
          `enqueue of AcceptTimeout jobs failed; the sweep will catch them: ${(error as Error).message}`,
        );
      }
    }
    tally.assigned += committed.assigned.length;
    tally.unassigned += committed.unassigned;
    tally.replanned += committed.replanned;
    lap('enqueue');
    const timing = Object.entries(phases)
      .map(([name, ms]) => `${name} ${Math.round(ms)}`)
      .join(', ');
    this.logger.log(
      `round of ${plannable.length} order(s): ${committed.assigned.length} assigned, ${committed.unassigned} unassigned, ${committed.replanned} to plan again (ms: ${timing})`,
    );
    return tally;
  }

  /**
   * The fault test's hook (DISPATCH_FAULT_PAUSE_IN_COMMIT_MS, NODE_ENV=test only): inside the commit, every write
   * made and nothing committed, with the locks and the partition's lease held, say so in Redis (and the log), then
   * wait, so the test can SIGKILL the process exactly here.
   */
  private async faultPause(partition: string | null): Promise<void> {
    const pauseMs = this.config.dispatch.faultPauseInCommitMs;
    if (!(pauseMs > 0) || this.config.nodeEnv !== 'test') return;
    await this.leases.markPausedInCommit(partition ?? NO_PARTITION, pauseMs);
    this.logger.warn(
      `fault hook: paused inside the commit of a round of partition ${partition ?? NO_PARTITION} for ${pauseMs} ms`,
    );
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }

  private async unchanged(
    em: Parameters<DispatchRepository['caregiverFingerprint']>[0],
    seen: CaregiverFingerprint,
  ): Promise<boolean> {
    const now = await this.repo.caregiverFingerprint(em);
    return now.count === seen.count && now.versions === seen.versions && now.updatedAt === seen.updatedAt;
  }
}

function toDispatchOrder(o: OrderFacts): DispatchOrder {
  if (!o.location) throw new Error(`order ${o.id} has no location`);
  return {
    id: o.id,
    residentId: o.residentId,
    location: o.location,
    kind: o.kind,
    services: o.services,
    durationMinutes: o.durationMinutes,
    windowStart: o.windowStart,
    windowEnd: o.windowEnd,
    priority: o.priority,
    declinedBy: o.declinedBy,
  };
}
