import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InvalidInputError, NotFoundError, toCountyIso } from '@care/core';

import { CoverageRepository, type Township, type TownshipCounts } from './coverage.repository';
import { computeIndicators, sumCounts, type CoverageCounts, type Indicator } from './rules/indicators';
import { nextSteps, type NextSteps } from './rules/next-steps';
import { countyMonth, monthsBetween, statsPeriod, type StatsPeriod } from './rules/period';

export interface RegionIndicators {
  readonly regionCode: string;
  readonly name: string;
  readonly indicators: Indicator[];
}

export interface CoverageReport {
  readonly month: string;
  readonly asOf: string;
  /** True when data changed since `asOf` and newer figures are being computed. */
  readonly stale: boolean;
  readonly regionCode: string | null;
  readonly indicators: Indicator[];
  readonly byRegion: RegionIndicators[];
}

export interface RegionNextSteps extends NextSteps {
  readonly regionCode: string;
  readonly name: string;
}

export interface NextStepsReport {
  readonly month: string;
  readonly asOf: string;
  readonly stale: boolean;
  readonly regionCode: string | null;
  readonly total: NextSteps;
  readonly byRegion: RegionNextSteps[];
}

export interface HistoryReport {
  readonly from: string;
  readonly to: string;
  readonly regionCode: string | null;
  readonly items: { month: string; asOf: string; computedAt: string; indicators: Indicator[] }[];
  /** Months of the range without a snapshot (the job had not run, or the system was not in use). */
  readonly missing: string[];
}

interface Computed {
  readonly fingerprint: string;
  readonly townships: Township[];
  readonly counts: Map<string, TownshipCounts>;
  readonly asOf: Date;
  readonly computedAt: number;
}

/**
 * How the figures are kept (province scale: the counts scan a million elders and millions of visits):
 * - figures that took less than CACHE_MIN_COMPUTE_MS are never kept — a county-sized system always gets exact,
 *   current figures;
 * - slower ones are kept per month and served again while nothing they depend on has changed (same
 *   fingerprint: the newest updated_at of each source table, an index look-up each) and they are younger than
 *   CACHE_MAX_AGE_MS (which bounds what the fingerprint cannot see: a deleted row, an assessment expiring by
 *   the clock);
 * - once changed or old, the kept figures are still served at once, marked `stale: true` with their `asOf`,
 *   while one refresh per month runs in the background (stale-while-revalidate): a busy system never makes a
 *   reader wait for a full scan, and the answer is never older than one computation.
 */
// 2 s: well above what a county-sized system takes even on a loaded machine, so only province-scale data is kept
const CACHE_MIN_COMPUTE_MS = 2000;
const CACHE_MAX_AGE_MS = 60_000;

@Injectable()
export class CoverageService {
  private readonly logger = new Logger(CoverageService.name);
  private readonly cache = new Map<string, Computed>();
  private readonly inFlight = new Map<string, Promise<Computed>>();
  /** Computations at least this slow are kept (tests lower it; production keeps the default). */
  keepAfterMs = CACHE_MIN_COMPUTE_MS;

  constructor(
    private readonly repo: CoverageRepository,
    private readonly db: DataSource,
  ) {}

  period(month: string | undefined, now = new Date()): StatsPeriod {
    try {
      return statsPeriod(month ?? countyMonth(now), now);
    } catch (error) {
      throw new InvalidInputError(`month: ${(error as Error).message}`);
    }
  }

  /** Counts of every township for the period: kept, refreshed in the background, or computed now. */
  private async compute(period: StatsPeriod): Promise<Computed & { stale: boolean }> {
    const key = `${period.month}|${period.asOfDate}`;
    const fingerprint = await this.repo.fingerprint();
    const hit = this.cache.get(key);
    if (hit && hit.fingerprint === fingerprint && Date.now() - hit.computedAt < CACHE_MAX_AGE_MS)
      return { ...hit, stale: false };
    if (hit) {
      void this.recompute(key, period, fingerprint).catch((error: Error) =>
        this.logger.warn(`coverage ${period.month}: background refresh failed: ${error.message}`),
      );
      return { ...hit, stale: true };
    }
    return { ...(await this.recompute(key, period, fingerprint)), stale: false };
  }

  /** One computation per month at a time; concurrent callers share it. */
  private recompute(key: string, period: StatsPeriod, fingerprint: string): Promise<Computed> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const work = (async () => {
      const started = Date.now();
      const townships = await this.repo.townships();
      const counts = await this.repo.countsByTownship(period, townships);
      const computed: Computed = { fingerprint, townships, counts, asOf: period.asOf, computedAt: Date.now() };
      const took = Date.now() - started;
      if (took >= this.keepAfterMs) {
        this.cache.set(key, computed);
        this.logger.log(`coverage ${period.month} computed in ${took} ms; kept and refreshed in the background`);
      } else {
        this.cache.delete(key);
      }
      return computed;
    })().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    return work;
  }

  /** The townships a region code selects: all (null), one township, or the townships of a county. */
  private select(townships: Township[], regionCode: string | undefined): Township[] {
    if (!regionCode) return townships;
    const chosen = townships.filter((t) => t.code === regionCode || t.parentCode === regionCode);
    if (chosen.length === 0) throw new NotFoundError('Region', regionCode);
    return chosen;
  }

  async coverage(query: { regionCode?: string; month?: string }): Promise<CoverageReport> {
    const period = this.period(query.month);
    const c = await this.compute(period);
    return this.report(
      period.month,
      c.asOf,
      c.stale,
      query.regionCode ?? null,
      this.select(c.townships, query.regionCode),
      c.counts,
    );
  }

  private report(
    month: string,
    asOf: Date,
    stale: boolean,
    regionCode: string | null,
    townships: Township[],
    counts: ReadonlyMap<string, CoverageCounts>,
  ): CoverageReport {
    const rows = townships.map((t) => ({ t, counts: counts.get(t.code) ?? emptyCounts() }));
    return {
      month,
      asOf: toCountyIso(asOf) ?? '',
      stale,
      regionCode,
      indicators: computeIndicators(sumCounts(rows.map((r) => r.counts))),
      byRegion: rows.map((r) => ({ regionCode: r.t.code, name: r.t.name, indicators: computeIndicators(r.counts) })),
    };
  }

  async nextSteps(query: { regionCode?: string; month?: string }): Promise<NextStepsReport> {
    const period = this.period(query.month);
    const c = await this.compute(period);
    const townships = this.select(c.townships, query.regionCode);
    const planned = await this.plannedBedsByRegion();
    const rows = townships.map((t) => ({ t, counts: c.counts.get(t.code) ?? emptyCounts() }));
    const total = sumCounts(rows.map((r) => r.counts));
    const plannedTotal = townships.reduce((s, t) => s + (planned.get(t.code) ?? 0), 0);
    return {
      month: period.month,
      asOf: toCountyIso(c.asOf) ?? '',
      stale: c.stale,
      regionCode: query.regionCode ?? null,
      total: nextSteps(total, { plannedBeds: plannedTotal }),
      byRegion: rows.map((r) => ({
        regionCode: r.t.code,
        name: r.t.name,
        ...nextSteps(r.counts, { plannedBeds: planned.get(r.t.code) ?? 0 }),
      })),
    };
  }

  private async plannedBedsByRegion(): Promise<Map<string, number>> {
    const rows: { region_code: string; beds: string | number }[] = await this.db.query(
      `SELECT region_code, SUM(planned_beds) AS beds FROM stats_planned_capacity GROUP BY region_code`,
    );
    return new Map(rows.map((r) => [r.region_code, Number(r.beds)]));
  }

  // ── snapshots and history ───────────────────────────────────────────────────────────────────────────────

  /** Stores the counts of every township for the month (idempotent: a second run replaces the first). */
  async snapshot(month: string, now = new Date()): Promise<{ month: string; townships: number }> {
    const period = this.period(month, now);
    const townships = await this.repo.townships();
    const counts = await this.repo.countsByTownship(period, townships);
    const rows = townships.map((t) => {
      const c = counts.get(t.code) ?? emptyCounts();
      return [
        month,
        t.code,
        c.bedsInService,
        c.nursingBeds,
        c.occupiedBeds,
        c.townshipsWithComprehensive,
        c.eligibleElders,
        c.eligibleWithThreeVisits,
        c.eligibleInsideServiceCircle,
        c.assessableElders,
        c.eldersWithValidAssessment,
        c.eldersWithExpiredAssessment,
        c.socialWorkers,
        period.asOf,
        now,
      ];
    });
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await this.db.query(
        `INSERT INTO stats_coverage_snapshots (month, region_code, beds_in_service, nursing_beds, occupied_beds,
           with_comprehensive, eligible_elders, eligible_with_three_visits, eligible_inside_service_circle,
           assessable_elders, with_valid_assessment, with_expired_assessment, social_workers, as_of, computed_at)
         VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
         ON DUPLICATE KEY UPDATE beds_in_service = VALUES(beds_in_service), nursing_beds = VALUES(nursing_beds),
           occupied_beds = VALUES(occupied_beds), with_comprehensive = VALUES(with_comprehensive),
           eligible_elders = VALUES(eligible_elders), eligible_with_three_visits = VALUES(eligible_with_three_visits),
           eligible_inside_service_circle = VALUES(eligible_inside_service_circle),
           assessable_elders = VALUES(assessable_elders), with_valid_assessment = VALUES(with_valid_assessment),
           with_expired_assessment = VALUES(with_expired_assessment), social_workers = VALUES(social_workers),
           as_of = VALUES(as_of), computed_at = VALUES(computed_at)`,
        chunk.flat(),
      );
    }
    return { month, townships: rows.length };
  }

  async history(query: { from: string; to: string; regionCode?: string }): Promise<HistoryReport> {
    if (query.from > query.to) throw new InvalidInputError('from: must not be after to');
    const months = monthsBetween(query.from, query.to, 121);
    if (months.length > 120) throw new InvalidInputError('to: at most 120 months at once');
    const townships = this.select(await this.repo.townships(), query.regionCode);
    const codes = new Set(townships.map((t) => t.code));
    const rows: SnapshotRow[] = await this.db.query(
      `SELECT * FROM stats_coverage_snapshots WHERE month BETWEEN ? AND ? ORDER BY month, region_code`,
      [query.from, query.to],
    );
    const byMonth = new Map<string, SnapshotRow[]>();
    for (const r of rows) {
      if (!codes.has(r.region_code)) continue;
      byMonth.set(r.month, [...(byMonth.get(r.month) ?? []), r]);
    }
    const items = months
      .filter((m) => byMonth.has(m))
      .map((month) => {
        const snap = byMonth.get(month) ?? [];
        const latest = (pick: (r: SnapshotRow) => Date) =>
          new Date(Math.max(...snap.map((r) => new Date(pick(r)).getTime())));
        return {
          month,
          asOf: toCountyIso(latest((r) => r.as_of)) ?? '',
          computedAt: toCountyIso(latest((r) => r.computed_at)) ?? '',
          indicators: computeIndicators(sumCounts(snap.map(snapshotCounts))),
        };
      });
    return {
      from: query.from,
      to: query.to,
      regionCode: query.regionCode ?? null,
      items,
      missing: months.filter((m) => !byMonth.has(m)),
    };
  }
}

interface SnapshotRow {
  month: string;
  region_code: string;
  beds_in_service: number;
  nursing_beds: number;
  occupied_beds: number;
  with_comprehensive: number;
  eligible_elders: number;
  eligible_with_three_visits: number;
  eligible_inside_service_circle: number;
  assessable_elders: number;
  with_valid_assessment: number;
  with_expired_assessment: number;
  social_workers: number | null;
  as_of: Date;
  computed_at: Date;
}

function snapshotCounts(r: SnapshotRow): CoverageCounts {
  return {
    bedsInService: Number(r.beds_in_service),
    nursingBeds: Number(r.nursing_beds),
    occupiedBeds: Number(r.occupied_beds),
    townships: 1,
    townshipsWithComprehensive: Number(r.with_comprehensive),
    eligibleElders: Number(r.eligible_elders),
    eligibleWithThreeVisits: Number(r.eligible_with_three_visits),
    eligibleInsideServiceCircle: Number(r.eligible_inside_service_circle),
    assessableElders: Number(r.assessable_elders),
    eldersWithValidAssessment: Number(r.with_valid_assessment),
    eldersWithExpiredAssessment: Number(r.with_expired_assessment),
    socialWorkers: r.social_workers === null ? null : Number(r.social_workers),
  };
}

export function emptyCounts(): CoverageCounts {
  return {
    bedsInService: 0,
    nursingBeds: 0,
    occupiedBeds: 0,
    townships: 1,
    townshipsWithComprehensive: 0,
    eligibleElders: 0,
    eligibleWithThreeVisits: 0,
    eligibleInsideServiceCircle: 0,
    assessableElders: 0,
    eldersWithValidAssessment: 0,
    eldersWithExpiredAssessment: 0,
    socialWorkers: null,
  };
}
