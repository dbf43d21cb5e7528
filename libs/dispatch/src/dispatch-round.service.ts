import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, DEFAULT_TRAVEL_MODEL, JobQueue, TransactionRunner, type TravelModelOptions } from '@care/core';
import { type CaregiverFingerprint, DispatchRepository, type OrderFacts } from './dispatch.repository';
import { PartitionLeases } from './partition-leases';
import { acceptTimeoutJobId, type Clock, DISPATCH_CLOCK, DispatchService } from './dispatch.service';
import {
  type DispatchCaregiver,
  type DispatchOrder,
  dayRoute,
  evaluateInsertion,
  localDateOf,
  localMidnight,
  planDay,
  type PlannedVisit,
  partitionOf,
  type PartitionPoint,
  prepareOrder,
  serviceCircleRadiusKm,
  servicePointPartitions,
  sortVisits,
  visitOf,
} from './rules';

const DAY_MS = 24 * 3600_000;
/** The group of orders no service circle can hold (they are marked unassigned, OUT_OF_SERVICE_CIRCLE). */
const NO_PARTITION = 'none';

/** Another dispatcher holds a partition's lease: the job fails, BullMQ retries it with backoff. */
export class PartitionBusyError extends Error {
  constructor(partitions: readonly string[]) {
    super(`partition(s) ${partitions.join(', ')} leased by another dispatcher; will be retried`);
    this.name = 'PartitionBusyError';
  }
}
const CONTINUITY_MS = 90 * DAY_MS;
/** Rounds over one batch before the orders still pending go the one-at-a-time way. */
const MAX_ROUNDS = 4;

export interface RoundTally {
  assigned: number;
  unassigned: number;
  /** Orders the round could not commit as planned (a slot taken, an order or caregiver changed): planned again. */
  replanned: number;
}

/**
 * Dispatch in rounds: the pending orders of a batch are planned TOGETHER by the planner (`planDay`: urgent first,
 * then the tightest windows, cheapest insertion, then ejections, never fewer than greedy), around the visits already
 * on the caregivers' days, and the round is committed in ONE transaction: the orders locked in key order, then the
 * caregiver-days it touches (key order), then shared locks on those caregivers; every planned visit is checked again
 * against the days as they stand under the locks (every hard rule, `evaluateInsertion`) and written through
 * care-orders' version-checked writer. What fails the check stays pending and is planned again in the next round.
 */
@Injectable()
export class DispatchRoundService {
  private readonly logger = new Logger(DispatchRoundService.name);
  private readonly travel: TravelModelOptions = DEFAULT_TRAVEL_MODEL;

  constructor(
    private readonly repo: DispatchRepository,
    private readonly tx: TransactionRunner,
    private readonly queue: JobQueue,
    private readonly single: DispatchService,
    private readonly leases: PartitionLeases,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DISPATCH_CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * DispatchBatch: the batch's pending orders grouped by partition; each partition's orders are planned in rounds
   * under its Redis lease (another dispatcher holding it: this job fails and BullMQ retries it later; the sweeper is
   * the safety net). The few orders still pending after MAX_ROUNDS go one at a time.
   */
  async dispatchBatch(batchId: string): Promise<RoundTally> {
    const tally: RoundTally = { assigned: 0, unassigned: 0, replanned: 0 };
    const pending = (await this.repo.pendingOrdersOfBatch(batchId)).map((o) => o.id);
    if (pending.length === 0) return tally;
    const groups = await this.byPartition(pending);
    const busy: string[] = [];
    for (const [partition, ids] of groups) {
      const done = await this.leases.withLease(partition, () => this.rounds(ids, partition));
      if (!done) {
        busy.push(partition);
        continue;
      }
      tally.assigned += done.value.assigned;
      tally.unassigned += done.value.unassigned;
      tally.replanned += done.value.replanned;
    }
    if (busy.length > 0) throw new PartitionBusyError(busy);
    return tally;
  }

  /** Rounds over one partition's orders (under its lease). */
  private async rounds(ids: readonly string[], partition: string): Promise<RoundTally> {
    const tally: RoundTally = { assigned: 0, unassigned: 0, replanned: 0 };
    let left = ids;
    for (let round = 0; round < MAX_ROUNDS && left.length > 0; round++) {
      const result = await this.round(left, partition);
      tally.assigned += result.assigned;
      tally.unassigned += result.unassigned;
      tally.replanned += result.replanned;
      if (result.replanned === 0) return tally;
      left = (await this.repo.orders(left)).filter((o) => o.status === 'pending').map((o) => o.id);
    }
    for (const id of left) {
      const outcome = await this.single.dispatch(id);
      if (outcome.outcome === 'assigned') tally.assigned++;
      if (outcome.outcome === 'unassigned') tally.unassigned++;
    }
    return tally;
  }

  /** The service points' partitions, and the orders grouped by theirs (`none`: no service circle can hold it). */
  private async byPartition(orderIds: readonly string[]): Promise<Map<string, string[]>> {
    const { points, partitions } = await this.partitions();
    const radius = serviceCircleRadiusKm(this.travel);
    const groups = new Map<string, string[]>();
    for (const o of await this.repo.orders(orderIds)) {
      if (o.status !== 'pending') continue;
      const partition = (o.location && partitionOf(o.location, points, partitions, radius)) || NO_PARTITION;
      groups.set(partition, [...(groups.get(partition) ?? []), o.id]);
    }
    return groups;
  }

  private async partitions(): Promise<{ points: PartitionPoint[]; partitions: Map<string, string> }> {
    const points = await this.repo.servicePoints();
    return { points, partitions: servicePointPartitions(points, serviceCircleRadiusKm(this.travel)) };
  }

  /** One round over these orders (those no longer pending are left alone). */
  async round(orderIds: readonly string[], partition: string | null = null): Promise<RoundTally> {
    const now = this.clock();
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
    const existing = new Map<string, PlannedVisit[]>();
    for (const [caregiverId, list] of visits) {
      for (const v of list) {
        const key = `${caregiverId}|${localDateOf(v.plannedStart)}`;
        existing.set(key, [...(existing.get(key) ?? []), v]);
      }
    }
    const plan = planDay(orders, caregivers, catalogue, { travel: this.travel, existing, notBefore: now });

    // the caregiver-day rows the round will lock exist beforehand (autocommit, once per process and day)
    const touched = new Map<string, { caregiverId: string; date: string }>();
    for (const a of plan.assignments) touched.set(`${a.caregiverId}|${a.date}`, { caregiverId: a.caregiverId, date: a.date });
    for (const d of touched.values()) await this.repo.ensureCaregiverDay(d.caregiverId, d.date);
    const days = [...touched.values()].sort((a, b) =>
      a.caregiverId < b.caregiverId ? -1 : a.caregiverId > b.caregiverId ? 1 : a.date < b.date ? -1 : a.date > b.date ? 1 : 0,
    );

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
        const placed = evaluateInsertion(
          prepared,
          { caregiver: { ...caregiver, recentResidentIds: [] }, date: a.date, visits: dayNow },
          { travel: this.travel, notBefore: now },
        );
        if (!placed.ok) {
          out.replanned++;
          continue;
        }
        const written = await this.repo.assign(em, state, {
          caregiverId: caregiver.id,
          plannedStart: placed.plannedStart,
          plannedEnd: placed.plannedEnd,
          travelMinutes: placed.travelMinutesFromPrevious,
          assignedAt,
        });
        if (!written) {
          out.replanned++;
          continue;
        }
        dayVisits.set(key, [...dayNow, visitOf(order, placed.plannedStart, placed.plannedEnd)]);
        travelChanged.add(key);
        out.assigned.push({ id: order.id, assignedAt });
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
      if (plan.unassigned.length > 0 && (await this.unchanged(em, fingerprint))) {
        for (const u of plan.unassigned) {
          const state = current(u.orderId);
          if (state && (await this.repo.markUnassigned(em, state, u.reason))) out.unassigned++;
        }
      } else {
        out.replanned += plan.unassigned.length;
      }
      return out;
    });

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
        this.logger.warn(`enqueue of AcceptTimeout jobs failed; the sweep will catch them: ${(error as Error).message}`);
      }
    }
    tally.assigned += committed.assigned.length;
    tally.unassigned += committed.unassigned;
    tally.replanned += committed.replanned;
    this.logger.log(
      `round of ${plannable.length} order(s): ${committed.assigned.length} assigned, ${committed.unassigned} unassigned, ${committed.replanned} to plan again`,
    );
    return tally;
  }

  private async unchanged(em: Parameters<DispatchRepository['caregiverFingerprint']>[0], seen: CaregiverFingerprint): Promise<boolean> {
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

