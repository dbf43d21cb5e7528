import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import {
  InvalidInputError,
  NotFoundError,
  TransactionRunner,
  countyDate,
  countyInstant,
  type AuthUser,
  type Page,
} from '@care/core';
import { writeStatsChanges } from '@care/stats/outbox';
import type { CreateCaregiverDto, ListCaregiversQueryDto, UpdateCaregiverDto } from '../dto/caregiver.dto';
import { Caregiver, CaregiverSkill } from '../entities/caregiver.entity';
import { CareOrder } from '../entities/care-order.entity';
import { ServicePoint } from '../entities/service-point.entity';
import { visitsToRelease, type CaregiverTerms, type HeldVisit, type ReleaseReason } from '../rules/caregiver-change';
import { dayRouteView } from '../rules/day-route';
import { ACTIVE_VISIT_STATUSES, type OrderStatus } from '../rules/order-status';
import { SKILLS, skillsNeeded, type Skill } from '../rules/service-catalogue';
import { shiftProblem } from '../rules/shift';
import type { DispatchRound } from '../rules/jobs';
import { CatalogueService } from './catalogue.service';
import { DispatchEnqueuer } from './dispatch-enqueuer.service';
import { RELEASED, applyTransition } from './order-writes';
import { residentFacts } from './resident-facts';
import { iso, isoOrNull, placeholders } from './time-views';

export interface CaregiverView {
  id: string;
  name: string;
  phone: string;
  gender: string;
  servicePointId: string;
  servicePoint: { id: string; name: string; regionCode: string; lat: number; lng: number } | null;
  /** The service point's township. */
  regionCode: string | null;
  skills: Skill[];
  shiftStart: string;
  shiftEnd: string;
  maxDailyVisits: number;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ScheduleVisitView {
  orderId: string;
  residentId: string;
  residentName: string | null;
  address: string | null;
  status: OrderStatus;
  services: string[];
  plannedStart: string;
  plannedEnd: string;
  /** Travel into this visit from the previous stop (the service point for the first); null without coordinates. */
  travelMinutes: number | null;
  /** Spare minutes before this visit once travel is counted. */
  slackMinutes: number | null;
}

export interface ScheduleView {
  caregiverId: string;
  caregiverName: string;
  date: string;
  shiftStart: string;
  shiftEnd: string;
  maxDailyVisits: number;
  servicePoint: { id: string; name: string; lat: number; lng: number };
  visits: ScheduleVisitView[];
  /** Travel from the last visit back to the service point; null without visits. */
  returnTravelMinutes: number | null;
  totalTravelMinutes: number | null;
}

export interface CaregiverChange {
  view: CaregiverView;
  released: (DispatchRound & { reason: ReleaseReason })[];
}

const sortSkills = (skills: Iterable<string>): Skill[] => {
  const held = new Set(skills);
  return SKILLS.filter((s) => held.has(s));
};

@Injectable()
export class CaregiversService {
  constructor(
    @InjectRepository(Caregiver) private readonly caregivers: Repository<Caregiver>,
    private readonly tx: TransactionRunner,
    private readonly catalogue: CatalogueService,
    private readonly enqueue: DispatchEnqueuer,
  ) {}

  /** For CAREGIVER_LOOKUP: whether a caregiver with this id exists. */
  async exists(id: string): Promise<boolean> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
    return (await this.caregivers.countBy({ id })) > 0;
  }

  async create(dto: CreateCaregiverDto): Promise<CaregiverView> {
    const problem = shiftProblem(dto.shiftStart, dto.shiftEnd);
    if (problem) throw new InvalidInputError(problem);
    const id = await this.tx.run(async (em) => {
      await this.assertServicePoint(em, dto.servicePointId);
      const saved = await em.save(
        em.create(Caregiver, {
          name: dto.name,
          phone: dto.phone,
          gender: dto.gender,
          servicePointId: dto.servicePointId,
          shiftStart: dto.shiftStart,
          shiftEnd: dto.shiftEnd,
          maxDailyVisits: dto.maxDailyVisits,
          active: true,
          version: 0,
        }),
      );
      if (dto.skills.length)
        await em.insert(
          CaregiverSkill,
          dto.skills.map((skill) => ({ caregiverId: saved.id, skill })),
        );
      // statistics: an active caregiver draws its service point's circle
      await writeStatsChanges(em, [{ source: 'service_circles' }]);
      return saved.id;
    });
    // a new caregiver may take orders nobody could take before
    await this.enqueue.retryUnassigned(id, 0, `caregiver ${id} created`);
    return this.getView(id);
  }

  async list(query: ListCaregiversQueryDto): Promise<Page<CaregiverView>> {
    const qb = this.caregivers
      .createQueryBuilder('c')
      .innerJoin(ServicePoint, 'p', 'p.id = c.service_point_id')
      .orderBy('c.name', 'ASC')
      .addOrderBy('c.id', 'ASC');
    if (query.regionCode) qb.andWhere('p.region_code = :regionCode', { regionCode: query.regionCode });
    if (query.servicePointId) qb.andWhere('c.service_point_id = :sp', { sp: query.servicePointId });
    if (query.active) qb.andWhere('c.active = :active', { active: query.active === 'true' ? 1 : 0 });
    if (query.skill) {
      qb.andWhere('EXISTS (SELECT 1 FROM caregiver_skills s WHERE s.caregiver_id = c.id AND s.skill = :skill)', {
        skill: query.skill,
      });
    }
    const [items, total] = await qb.skip(query.offset).take(query.limit).getManyAndCount();
    return { items: await this.views(this.caregivers.manager, items), total };
  }

  /** A caregiver user reaches only its own record; others answer 404. */
  assertOwn(user: AuthUser, caregiverId: string): void {
    if (user.role === 'caregiver' && user.caregiverId !== caregiverId)
      throw new NotFoundError('Caregiver', caregiverId);
  }

  async get(user: AuthUser, id: string): Promise<CaregiverView> {
    this.assertOwn(user, id);
    return this.getView(id);
  }

  async getView(id: string, em: EntityManager = this.caregivers.manager): Promise<CaregiverView> {
    const caregiver = await em.findOneBy(Caregiver, { id });
    if (!caregiver) throw new NotFoundError('Caregiver', id);
    return (await this.views(em, [caregiver]))[0];
  }

  /**
   * Changes a caregiver. Visits not yet started that the change makes impossible (deactivated, another service
   * point, a skill gone, outside the new shift, over the new cap) go back to dispatch; after the commit they
   * are dispatched again and RetryUnassigned runs, since unassigned orders may fit now.
   * The caregiver row is locked first: dispatch reads it FOR SHARE when it plans a day, so a change and an
   * assignment never interleave.
   */
  async update(id: string, dto: UpdateCaregiverDto): Promise<CaregiverChange> {
    const change = await this.tx.run(async (em) => {
      const caregiver = await em
        .createQueryBuilder(Caregiver, 'c')
        .setLock('pessimistic_write')
        .where('c.id = :id', { id })
        .getOne();
      if (!caregiver) throw new NotFoundError('Caregiver', id);
      const skillRows = await em.findBy(CaregiverSkill, { caregiverId: id });
      const before: CaregiverTerms = { ...caregiver, skills: skillRows.map((row) => row.skill) };
      const after: CaregiverTerms = {
        active: dto.active ?? before.active,
        servicePointId: dto.servicePointId ?? before.servicePointId,
        skills: dto.skills ?? before.skills,
        shiftStart: dto.shiftStart ?? before.shiftStart,
        shiftEnd: dto.shiftEnd ?? before.shiftEnd,
        maxDailyVisits: dto.maxDailyVisits ?? before.maxDailyVisits,
      };
      const problem = shiftProblem(after.shiftStart, after.shiftEnd);
      if (problem) throw new InvalidInputError(problem);
      if (dto.servicePointId && dto.servicePointId !== before.servicePointId)
        await this.assertServicePoint(em, dto.servicePointId);

      const termsChanged =
        after.active !== before.active ||
        after.servicePointId !== before.servicePointId ||
        after.shiftStart !== before.shiftStart ||
        after.shiftEnd !== before.shiftEnd ||
        after.maxDailyVisits !== before.maxDailyVisits ||
        sortSkills(after.skills).join() !== sortSkills(before.skills).join();

      await em.update(
        Caregiver,
        { id },
        {
          name: dto.name ?? caregiver.name,
          phone: dto.phone ?? caregiver.phone,
          active: after.active,
          servicePointId: after.servicePointId,
          shiftStart: after.shiftStart,
          shiftEnd: after.shiftEnd,
          maxDailyVisits: after.maxDailyVisits,
          version: caregiver.version + 1,
        },
      );
      if (dto.skills) {
        await em.delete(CaregiverSkill, { caregiverId: id });
        if (dto.skills.length)
          await em.insert(
            CaregiverSkill,
            dto.skills.map((skill) => ({ caregiverId: id, skill })),
          );
      }
      // statistics: the circles are drawn around the service points with an active caregiver
      if (after.active !== before.active || after.servicePointId !== before.servicePointId)
        await writeStatsChanges(em, [{ source: 'service_circles' }]);
      const released = termsChanged ? await this.releaseBrokenVisits(em, id, before, after) : [];
      return { view: await this.getView(id, em), released, termsChanged, version: caregiver.version + 1 };
    });
    await this.enqueue.dispatch(change.released);
    if (change.termsChanged) await this.enqueue.retryUnassigned(id, change.version, `caregiver ${id} changed`);
    return { view: change.view, released: change.released };
  }

  /** Visits of this caregiver not yet started that break the new terms go back to pending. */
  private async releaseBrokenVisits(
    em: EntityManager,
    caregiverId: string,
    before: CaregiverTerms,
    after: CaregiverTerms,
  ): Promise<CaregiverChange['released']> {
    const now = new Date();
    const orders = await em
      .createQueryBuilder(CareOrder, 'o')
      .setLock('pessimistic_write')
      .where('o.caregiver_id = :caregiverId', { caregiverId })
      .andWhere('o.status IN (:...statuses)', { statuses: ACTIVE_VISIT_STATUSES })
      .andWhere('o.planned_start >= :from', { from: countyInstant(countyDate(now)) })
      .orderBy('o.planned_start', 'ASC')
      .getMany();
    const movable = orders.filter(
      (o) => (o.status === 'assigned' || o.status === 'accepted') && o.plannedStart && o.plannedStart > now,
    );
    if (movable.length === 0) return [];
    const fixedPerDay = new Map<string, number>();
    for (const o of orders) {
      if (movable.includes(o) || !o.plannedStart) continue;
      const day = countyDate(o.plannedStart);
      fixedPerDay.set(day, (fixedPerDay.get(day) ?? 0) + 1);
    }
    const catalogue = await this.catalogue.map({ all: true, em });
    const services = await this.servicesOf(
      em,
      movable.map((o) => o.id),
    );
    const held: HeldVisit[] = movable.map((o) => ({
      orderId: o.id,
      plannedStart: o.plannedStart as Date,
      plannedEnd: o.plannedEnd ?? (o.plannedStart as Date),
      requiredSkills: skillsNeeded(services.get(o.id) ?? [], catalogue),
    }));
    const releases = visitsToRelease(before, after, held, fixedPerDay);
    const out: CaregiverChange['released'] = [];
    for (const release of releases) {
      const order = movable.find((o) => o.id === release.orderId) as CareOrder;
      const updated = await applyTransition(em, order, 'requeue', RELEASED);
      out.push({ id: updated.id, version: updated.version, priority: updated.priority, reason: release.reason });
    }
    return out;
  }

  async schedule(user: AuthUser, caregiverId: string, date: string): Promise<ScheduleView> {
    this.assertOwn(user, caregiverId);
    const em = this.caregivers.manager;
    const caregiver = await em.findOneBy(Caregiver, { id: caregiverId });
    if (!caregiver) throw new NotFoundError('Caregiver', caregiverId);
    const point = await em.findOneByOrFail(ServicePoint, { id: caregiver.servicePointId });
    const dayStart = countyInstant(date);
    const dayEnd = new Date(dayStart.getTime() + 24 * 3600_000);
    const orders = await em
      .createQueryBuilder(CareOrder, 'o')
      .where('o.caregiver_id = :caregiverId', { caregiverId })
      .andWhere('o.status IN (:...statuses)', { statuses: ACTIVE_VISIT_STATUSES })
      .andWhere('o.planned_start >= :dayStart AND o.planned_start < :dayEnd', { dayStart, dayEnd })
      .orderBy('o.planned_start', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .getMany();
    const residents = await residentFacts(
      em,
      orders.map((o) => o.residentId),
    );
    const services = await this.servicesOf(
      em,
      orders.map((o) => o.id),
    );
    const route = dayRouteView(
      { lat: point.lat, lng: point.lng },
      countyInstant(date, caregiver.shiftStart),
      orders.map((o) => {
        const resident = residents.get(o.residentId);
        return {
          orderId: o.id,
          order: o,
          plannedStart: o.plannedStart as Date,
          plannedEnd: o.plannedEnd as Date,
          location: resident?.location ?? null,
          kind: resident?.kind ?? 'rural',
        };
      }),
    );
    return {
      caregiverId,
      caregiverName: caregiver.name,
      date,
      shiftStart: caregiver.shiftStart,
      shiftEnd: caregiver.shiftEnd,
      maxDailyVisits: caregiver.maxDailyVisits,
      servicePoint: { id: point.id, name: point.name, lat: point.lat, lng: point.lng },
      visits: route.legs.map((leg) => {
        const o = leg.visit.order;
        const resident = residents.get(o.residentId);
        return {
          orderId: o.id,
          residentId: o.residentId,
          residentName: resident?.name ?? null,
          address: resident?.address ?? null,
          status: o.status,
          services: services.get(o.id) ?? [],
          plannedStart: iso(leg.visit.plannedStart),
          plannedEnd: iso(leg.visit.plannedEnd),
          travelMinutes: leg.travelMinutes,
          slackMinutes: leg.slackMinutes,
        };
      }),
      returnTravelMinutes: route.returnTravelMinutes,
      totalTravelMinutes: route.totalTravelMinutes,
    };
  }

  private async assertServicePoint(em: EntityManager, id: string): Promise<void> {
    if (!(await em.existsBy(ServicePoint, { id })))
      throw new InvalidInputError(`servicePointId: unknown service point "${id}"`);
  }

  private async servicesOf(em: EntityManager, orderIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (orderIds.length === 0) return out;
    const rows: { order_id: string; service_code: string }[] = await em.query(
      `SELECT order_id, service_code FROM care_order_services WHERE order_id IN (${placeholders(orderIds)}) ORDER BY order_id, position`,
      orderIds,
    );
    for (const row of rows) out.set(row.order_id, [...(out.get(row.order_id) ?? []), row.service_code]);
    return out;
  }

  private async views(em: EntityManager, caregivers: Caregiver[]): Promise<CaregiverView[]> {
    if (caregivers.length === 0) return [];
    const ids = caregivers.map((c) => c.id);
    const skills = await em.findBy(CaregiverSkill, { caregiverId: In(ids) });
    const points = await em.findBy(ServicePoint, { id: In([...new Set(caregivers.map((c) => c.servicePointId))]) });
    return caregivers.map((c) => {
      const point = points.find((p) => p.id === c.servicePointId) ?? null;
      return {
        id: c.id,
        name: c.name,
        phone: c.phone,
        gender: c.gender,
        servicePointId: c.servicePointId,
        servicePoint: point
          ? { id: point.id, name: point.name, regionCode: point.regionCode, lat: point.lat, lng: point.lng }
          : null,
        regionCode: point?.regionCode ?? null,
        skills: sortSkills(skills.filter((s) => s.caregiverId === c.id).map((s) => s.skill)),
        shiftStart: c.shiftStart,
        shiftEnd: c.shiftEnd,
        maxDailyVisits: c.maxDailyVisits,
        active: c.active,
        version: c.version,
        createdAt: iso(c.createdAt),
        updatedAt: isoOrNull(c.updatedAt) ?? iso(c.createdAt),
      };
    });
  }
}
