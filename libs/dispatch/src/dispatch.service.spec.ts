import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AppConfig, JobQueue, TransactionRunner } from '@care/core';
import { DispatchEnqueuer } from '@care/care-orders';
import type { CaregiverFingerprint, DispatchRepository, OrderFacts, OrderState } from './dispatch.repository';
import { DispatchContentionError, DispatchService } from './dispatch.service';
import { DEFAULT_CATALOGUE, type DispatchCaregiver, localInstant, type PlannedVisit } from './rules';

/**
 * The dispatch use cases with the repository, transactions and queue faked: the race paths (slot taken under the
 * lock, order changed, caregivers changed) that the e2e tests only hit by chance.
 */
const DATE = '2030-06-03';
const NOW = localInstant('2030-06-01', '10:00');
const SEAT = { lat: 35.6929, lng: 105.0466 };
const near = { lat: SEAT.lat + 0.01, lng: SEAT.lng };

const order = (over: Partial<OrderFacts> = {}): OrderFacts => ({
  id: 'o-1',
  status: 'pending',
  version: 3,
  residentId: 'r-1',
  windowStart: localInstant(DATE, '09:00'),
  windowEnd: localInstant(DATE, '12:00'),
  durationMinutes: 30,
  priority: 'normal',
  services: ['health_check'],
  declinedBy: [],
  livingArrangement: 'home',
  location: near,
  kind: 'rural',
  caregiverId: null,
  assignedAt: null,
  source: 'manual',
  ...over,
});

const caregiver = (id: string): DispatchCaregiver => ({
  id,
  active: true,
  skills: ['health', 'housekeeping'],
  servicePoint: SEAT,
  shiftStart: '08:00',
  shiftEnd: '17:00',
  maxDailyVisits: 6,
});

const FP: CaregiverFingerprint = { count: 2, versions: 0, updatedAt: 1 };

/** An in-memory stand-in for DispatchRepository: the order, the caregivers, and what the locked day holds. */
class FakeRepo {
  orderFacts: OrderFacts | null = order();
  lockedState: OrderState | null = null;
  caregivers = [caregiver('cg-a'), caregiver('cg-b')];
  /** Visits seen under the lock, per caregiver (what another worker committed meanwhile). */
  visitsUnderLock = new Map<string, PlannedVisit[]>();
  fingerprints: CaregiverFingerprint[] = [];
  assigned: { caregiverId: string; plannedStart: number }[] = [];
  unassigned: string[] = [];
  lapses: string[] = [];
  requeued: string[] = [];
  private inTx = false;

  setTx(v: boolean): void {
    this.inTx = v;
  }
  catalogue = jest.fn(async () => DEFAULT_CATALOGUE);
  order = jest.fn(async () => this.orderFacts);
  lockOrder = jest.fn(async (): Promise<OrderState | null> => {
    const o = this.lockedState ?? this.orderFacts;
    return o
      ? {
          id: o.id,
          status: o.status,
          version: o.version,
          priority: o.priority,
          caregiverId: o.caregiverId,
          assignedAt: o.assignedAt,
        }
      : null;
  });
  skilledActiveCaregivers = jest.fn(async () => this.caregivers);
  caregiver = jest.fn(async (id: string) => this.caregivers.find((c) => c.id === id) ?? null);
  caregiverWithVisits = jest.fn(async (id: string) => {
    const caregiver = this.caregivers.find((c) => c.id === id);
    return caregiver ? { caregiver, visits: this.inTx ? (this.visitsUnderLock.get(id) ?? []) : [] } : null;
  });
  servedRecently = jest.fn(async () => new Set<string>());
  visits = jest.fn(async (ids: readonly string[]) => {
    const map = new Map<string, PlannedVisit[]>();
    if (this.inTx) for (const id of ids) map.set(id, this.visitsUnderLock.get(id) ?? []);
    return map;
  });
  caregiverFingerprint = jest.fn(async () => this.fingerprints.shift() ?? FP);
  skilledActiveCaregiversWithFingerprint = jest.fn(async () => ({
    caregivers: this.caregivers,
    fingerprint: this.fingerprints.shift() ?? FP,
  }));
  ensureCaregiverDay = jest.fn(async () => undefined);
  lockCaregiverDay = jest.fn(async () => true);
  shareLockCaregiver = jest.fn(async () => true);
  assign = jest.fn(async (_em: EntityManager, _o: unknown, p: { caregiverId: string; plannedStart: number }) => {
    this.assigned.push({ caregiverId: p.caregiverId, plannedStart: p.plannedStart });
    return true;
  });
  setTravelMinutes = jest.fn(async () => undefined);
  markUnassigned = jest.fn(async (_em: EntityManager, _o: unknown, reason: string) => {
    this.unassigned.push(reason);
    return true;
  });
  requeue = jest.fn(async () => true);
  recordLapse = jest.fn(async (_em: EntityManager, orderId: string, caregiverId: string) => {
    this.lapses.push(`${orderId}/${caregiverId}`);
  });
  lockRetryableUnassigned = jest.fn(async () => [
    { id: 'u-1', version: 4 },
    { id: 'u-2', version: 0 },
  ]);
  requeueMany = jest.fn(async (_em: EntityManager, ids: readonly string[]) => {
    this.requeued.push(...ids);
  });
  stalePending = jest.fn(async () => [{ id: 'p-1', version: 2 }]);
  lapsedAssignments = jest.fn(async () => [] as { id: string; assignedAt: Date }[]);
}

beforeAll(() => Logger.overrideLogger(false));

function setup() {
  const repo = new FakeRepo();
  const tx = {
    run: jest.fn(async <T>(work: (em: EntityManager) => Promise<T>): Promise<T> => {
      repo.setTx(true);
      try {
        return await work({} as EntityManager);
      } finally {
        repo.setTx(false);
      }
    }),
  };
  const queue = { add: jest.fn(async () => 'id'), addBulk: jest.fn(async () => undefined) };
  const config = { dispatch: { acceptTimeoutMinutes: 15, concurrency: 8, sweepSeconds: 30 } } as AppConfig;
  const service = new DispatchService(
    repo as unknown as DispatchRepository,
    tx as unknown as TransactionRunner,
    queue as unknown as JobQueue,
    new DispatchEnqueuer(queue as unknown as JobQueue),
    config,
    () => NOW,
  );
  return { repo, tx, queue, service };
}

describe('DispatchService.dispatch', () => {
  it('assigns a pending order under the locks and schedules the accept timeout', async () => {
    const { repo, queue, service } = setup();
    const outcome = await service.dispatch('o-1');
    expect(outcome).toMatchObject({ outcome: 'assigned', caregiverId: 'cg-a' });
    expect(repo.lockOrder).toHaveBeenCalledTimes(1);
    expect(repo.shareLockCaregiver).toHaveBeenCalledWith(expect.anything(), 'cg-a');
    expect(repo.lockCaregiverDay).toHaveBeenCalledWith(expect.anything(), 'cg-a', DATE);
    expect(repo.assigned).toEqual([{ caregiverId: 'cg-a', plannedStart: localInstant(DATE, '09:00') }]);
    expect(queue.add).toHaveBeenCalledWith(
      'AcceptTimeout',
      { orderId: 'o-1', assignedAt: new Date(NOW).toISOString() },
      { jobId: `AcceptTimeout-o-1-${NOW}`, delay: 15 * 60_000 },
    );
  });

  it('does nothing for an order that is no longer pending (idempotent)', async () => {
    const { repo, tx, service } = setup();
    repo.orderFacts = order({ status: 'assigned' });
    expect(await service.dispatch('o-1')).toEqual({ outcome: 'skipped', why: 'order is assigned' });
    expect(tx.run).not.toHaveBeenCalled();
  });

  it('marks a resident not living at home unassigned', async () => {
    const { repo, service } = setup();
    repo.orderFacts = order({ livingArrangement: 'institution' });
    expect(await service.dispatch('o-1')).toMatchObject({ outcome: 'unassigned', reason: 'RESIDENT_NOT_AT_HOME' });
    expect(repo.unassigned).toEqual(['RESIDENT_NOT_AT_HOME']);
  });

  it('moves on to the next candidate when the best slot was taken by another worker meanwhile', async () => {
    const { repo, service } = setup();
    // under the lock cg-a's morning is full (another worker committed 08:00–12:00)
    repo.visitsUnderLock.set('cg-a', [
      {
        orderId: 'x',
        residentId: 'r-x',
        location: near,
        kind: 'rural',
        plannedStart: localInstant(DATE, '08:05'),
        plannedEnd: localInstant(DATE, '12:00'),
      },
    ]);
    const outcome = await service.dispatch('o-1');
    expect(outcome).toMatchObject({ outcome: 'assigned', caregiverId: 'cg-b' });
    expect(repo.assigned).toEqual([{ caregiverId: 'cg-b', plannedStart: localInstant(DATE, '09:00') }]);
  });

  it('decides again when the order changed under the lock, and stops when it is no longer pending', async () => {
    const { repo, service } = setup();
    repo.lockedState = {
      id: 'o-1',
      status: 'cancelled',
      version: 4,
      priority: 'normal',
      caregiverId: null,
      assignedAt: null,
    };
    repo.order.mockResolvedValueOnce(order()).mockResolvedValueOnce(order({ status: 'cancelled', version: 4 }));
    expect(await service.dispatch('o-1')).toEqual({ outcome: 'skipped', why: 'order is cancelled' });
    expect(repo.assigned).toEqual([]);
  });

  it('gives the aggregate reason when nobody fits, but decides again if caregivers changed meanwhile', async () => {
    const { repo, service } = setup();
    repo.orderFacts = order({ location: { lat: SEAT.lat + 0.5, lng: SEAT.lng } }); // ~72 km by road: outside every circle
    repo.fingerprints = [FP, { ...FP, count: 3 }, FP, FP]; // decision 1, check 1 (changed!), decision 2, check 2
    expect(await service.dispatch('o-1')).toMatchObject({ outcome: 'unassigned', reason: 'OUT_OF_SERVICE_CIRCLE' });
    expect(repo.order).toHaveBeenCalledTimes(2);
    expect(repo.unassigned).toEqual(['OUT_OF_SERVICE_CIRCLE']);
  });

  it('fails the job (for BullMQ to retry with backoff) after losing the race round after round', async () => {
    const { repo, service } = setup();
    repo.assign.mockResolvedValue(false); // someone else always changes the order between lock and write
    await expect(service.dispatch('o-1')).rejects.toThrow(DispatchContentionError);
  });
});

describe('DispatchService.acceptTimeout', () => {
  const assignedAt = new Date(NOW - 20 * 60_000);

  it('releases the very assignment the job names, records the lapse and dispatches again', async () => {
    const { repo, queue, service } = setup();
    repo.orderFacts = order({ status: 'assigned', caregiverId: 'cg-a', assignedAt: assignedAt.getTime() });
    expect(await service.acceptTimeout('o-1', assignedAt.toISOString())).toBe('requeued');
    expect(repo.lapses).toEqual(['o-1/cg-a']);
    expect(repo.requeue).toHaveBeenCalled();
    // a normal order: the debounced intake of its window's rounds
    expect(queue.add).toHaveBeenCalledWith(
      'DispatchRound',
      {},
      expect.objectContaining({ jobId: expect.stringMatching(/^DispatchRound-intake-\d+$/), priority: 2 }),
    );
  });

  it('leaves an accepted order, or a later assignment, alone', async () => {
    const { repo, service } = setup();
    repo.orderFacts = order({ status: 'accepted', caregiverId: 'cg-a', assignedAt: assignedAt.getTime() });
    expect(await service.acceptTimeout('o-1', assignedAt.toISOString())).toBe('skipped');
    repo.orderFacts = order({ status: 'assigned', caregiverId: 'cg-b', assignedAt: assignedAt.getTime() + 1 });
    expect(await service.acceptTimeout('o-1', assignedAt.toISOString())).toBe('skipped');
    expect(repo.requeue).not.toHaveBeenCalled();
  });
});

describe('DispatchService.retryUnassigned and sweep', () => {
  it('requeues open unassigned orders and enqueues their next dispatch round', async () => {
    const { repo, queue, service } = setup();
    expect(await service.retryUnassigned('caregiver added')).toBe(2);
    expect(repo.requeued).toEqual(['u-1', 'u-2']);
    expect(queue.add).toHaveBeenCalledWith(
      'DispatchRound',
      {},
      expect.objectContaining({ jobId: expect.stringMatching(/^DispatchRound-intake-\d+$/) }),
    );
  });

  it('re-enqueues stale pending orders under a fresh id per sweep period', async () => {
    const { queue, service } = setup();
    expect(await service.sweep()).toEqual({ pending: 1, lapsed: 0 });
    const bucket = Math.floor(NOW / 30_000);
    expect(queue.add).toHaveBeenCalledWith(
      'DispatchRound',
      {},
      expect.objectContaining({
        jobId: expect.stringMatching(new RegExp(`^DispatchRound-intake-\\d+-sweep-${bucket}$`)),
      }),
    );
  });
});
