import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { countyMonth, InvalidInputError, JobQueue, TransactionRunner } from '@care/core';
import { RegionsService } from '@care/regions';
import {
  PLAN_CATEGORIES,
  PLAN_SLOTS,
  isPlanEligible,
  latestElderBirthDate,
  planServices,
  planWindow,
  resolvePlanMonth,
  type PlanSlot,
} from '../rules/visit-plan';
import { effectiveDuration } from '../rules/service-catalogue';
import { CatalogueService } from './catalogue.service';
import { DispatchEnqueuer } from './dispatch-enqueuer.service';
import { insertOrderBatch } from './order-writes';
import { placeholders } from './time-views';

export interface VisitPlanResult {
  month: string;
  regionCode: string | null;
  eligible: number;
  created: number;
  /** Visits already there from an earlier run. */
  existing: number;
  /** Visits whose third is over (plans generated during their month). */
  skipped: number;
}

interface CandidateRow {
  id: string;
  region_code: string;
  living_arrangement: string;
  birth_date: string;
  categories: string | null;
}

interface PlannedRow {
  id: string;
  residentId: string;
  regionCode: string;
  slot: PlanSlot;
  windowStart: Date;
  windowEnd: Date;
  durationMinutes: number;
  services: string[];
}

const BATCH = 200;

@Injectable()
export class VisitPlansService {
  private readonly logger = new Logger(VisitPlansService.name);

  constructor(
    private readonly db: DataSource,
    private readonly tx: TransactionRunner,
    private readonly catalogue: CatalogueService,
    private readonly enqueue: DispatchEnqueuer,
    private readonly queue: JobQueue,
    private readonly regions: RegionsService,
  ) {}

  /** POST /visit-plans/generate: checks the request and enqueues GenerateVisitPlans. */
  async requestGeneration(
    month: string,
    regionCode?: string,
    now = new Date(),
  ): Promise<{ jobId: string; month: string; regionCode: string | null }> {
    if (month < countyMonth(now))
      throw new InvalidInputError(`month: ${month} is over; plans are made for this month or later`);
    if (regionCode) await this.regions.assertKnown(regionCode);
    const jobId = `GenerateVisitPlans-${month}-${regionCode ?? 'all'}-${now.getTime()}`;
    await this.queue.add('GenerateVisitPlans', regionCode ? { month, regionCode } : { month }, { jobId });
    return { jobId, month, regionCode: regionCode ?? null };
  }

  /**
   * The GenerateVisitPlans job: three visits in the month for every eligible elder at home. Idempotent: the
   * unique key (resident_id, visit_plan_month, visit_slot) keeps one order per elder and third, so a second
   * run — or two runs at once on two dispatcher processes — creates nothing new. New orders are enqueued for
   * dispatch after each batch commits.
   */
  async generate(monthInput: string, regionCode?: string, now = new Date()): Promise<VisitPlanResult> {
    const month = resolvePlanMonth(monthInput, now);
    const catalogue = await this.catalogue.map({ all: true });
    const slotPlans = PLAN_SLOTS.map((slot) => {
      const services = planServices(month, slot);
      const durationMinutes = effectiveDuration(services, catalogue);
      return { slot, services, durationMinutes, window: planWindow(month, slot, now, durationMinutes) };
    });

    const params: unknown[] = [latestElderBirthDate(month), ...PLAN_CATEGORIES];
    let regionFilter = '';
    if (regionCode) {
      regionFilter = 'AND r.region_code = ?';
      params.push(regionCode);
    }
    const candidates: CandidateRow[] = await this.db.query(
      `SELECT r.id, r.region_code, r.living_arrangement, DATE_FORMAT(r.birth_date, '%Y-%m-%d') AS birth_date,
              (SELECT GROUP_CONCAT(c2.category) FROM resident_categories c2 WHERE c2.resident_id = r.id) AS categories
         FROM residents r
        WHERE r.living_arrangement = 'home' AND r.birth_date <= ?
          AND EXISTS (SELECT 1 FROM resident_categories c WHERE c.resident_id = r.id AND c.category IN (${placeholders(PLAN_CATEGORIES)}))
          ${regionFilter}
        ORDER BY r.id`,
      params,
    );
    const eligible = candidates.filter((row) =>
      isPlanEligible(
        {
          livingArrangement: row.living_arrangement,
          birthDate: row.birth_date,
          categories: (row.categories ?? '').split(','),
        },
        month,
      ),
    );

    const result: VisitPlanResult = {
      month,
      regionCode: regionCode ?? null,
      eligible: eligible.length,
      created: 0,
      existing: 0,
      skipped: 0,
    };
    for (let i = 0; i < eligible.length; i += BATCH) {
      const planned: PlannedRow[] = [];
      for (const resident of eligible.slice(i, i + BATCH)) {
        for (const plan of slotPlans) {
          if (!plan.window) {
            result.skipped++;
            continue;
          }
          planned.push({
            id: randomUUID(),
            residentId: resident.id,
            regionCode: resident.region_code,
            slot: plan.slot,
            windowStart: plan.window.windowStart,
            windowEnd: plan.window.windowEnd,
            durationMinutes: plan.durationMinutes,
            services: plan.services,
          });
        }
      }
      if (planned.length === 0) continue;
      const created = await this.insertBatch(month, planned);
      result.created += created.ids.length;
      result.existing += planned.length - created.ids.length;
      // visit plans are routine: normal priority, one dispatch job per batch
      if (created.ids.length > 0) await this.enqueue.dispatchBatch(created.batchId, 'normal');
    }
    this.logger.log(
      `visit plans ${month}${regionCode ? ` (${regionCode})` : ''}: ${result.eligible} eligible, ${result.created} created, ${result.existing} existing, ${result.skipped} skipped`,
    );
    return result;
  }

  /**
   * Inserts the batch through the one bulk path (`insertOrderBatch`); rows whose (resident, month, slot) exists are
   * left alone. Returns the batch id and the ids inserted.
   */
  private async insertBatch(month: string, planned: PlannedRow[]): Promise<{ batchId: string; ids: string[] }> {
    const batchId = randomUUID();
    const ids = await this.tx.run((em) =>
      insertOrderBatch(
        em,
        { id: batchId, source: 'visit_plan', createdBy: null },
        planned.map((p) => ({
          id: p.id,
          residentId: p.residentId,
          regionCode: p.regionCode,
          windowStart: p.windowStart,
          windowEnd: p.windowEnd,
          durationMinutes: p.durationMinutes,
          priority: 'normal' as const,
          notes: null,
          services: p.services,
          visitPlanMonth: month,
          visitSlot: p.slot,
        })),
      ),
    );
    return { batchId, ids };
  }
}
