import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InvalidInputError, NotFoundError, messageWithoutValues, toCountyIso } from '@care/core';

import { CoverageRepository, type ServiceCircles, type Township, type TownshipFigures } from './coverage.repository';
import { KeptFiguresRepository, type KeptMonth, type KeptRow } from './kept-figures.repository';
import { changedSince, dueTownships, windowSignatures, type KeptTownship } from './rules/freshness';
import { emptyTownshipCounts } from './rules/township-tally';
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

/** Every township's counts for a period, as served. */
interface Figures {
  readonly townships: Township[];
  readonly counts: ReadonlyMap<string, CoverageCounts>;
  readonly asOf: Date;
  /** True when data changed since `asOf` and newer figures are being computed. */
  readonly stale: boolean;
}

/**
 * How the figures are kept (province scale: a million elders, millions of visits):
 * - each township's counts are kept per month (stats_coverage_snapshots) with the instant the clock alone next
 *   changes them; a request recomputes only the townships that are due — a source row changed since the last
 *   refresh (found through the `updated_at` indexes, see CoverageRepository.changes and rules/freshness.ts), the
 *   clock passed `changesAt`, or the circles changed — so a request costs about the same for 28 townships or a
 *   province;
 * - up to SYNC_REFRESH_MAX_TOWNSHIPS due townships are recomputed before answering, so the answer is exact and
 *   current; more (the first figures of a month aside) are recomputed in the background while the kept figures
 *   are served marked `stale: true` with their `asOf` (stale-while-revalidate);
 * - one refresh per month at a time across processes (the month's row lock); a process that finds it taken
 *   serves what is kept;
 * - a closed month snapshotted by the monthly job (00:30 on the 1st) is final: history, no longer refreshed,
 *   because beds keep no history and a later recomputation would mix today's beds into the past.
 */
const SYNC_REFRESH_MAX_TOWNSHIPS = 40;
/**
 * How long after writing updated_at a transaction may commit (TypeORM also writes updated_at at whole seconds:
 * its UPDATE sets CURRENT_TIMESTAMP without fractions). Rows updated this long before a refresh started are
 * counted by it, so that one committed later is still found (see rules/freshness.ts).
 */
const COMMIT_LAG_MS = 60_000;
/** Twice the lag: the window then lies wholly in the past, and a quiet system writes its state every 2 minutes at most. */
const CHECKPOINT_AFTER_MS = 2 * COMMIT_LAG_MS;

@Injectable()
export class CoverageService {
  private readonly logger = new Logger(CoverageService.name);
  private readonly inFlight = new Map<string, Promise<Figures | null>>();
  /** The service circles as this process last read them (reloaded when they may have changed). */
  private circles: ServiceCircles | null = null;
  /** Due townships recomputed before answering; beyond, in the background (tests lower it). */
  syncRefreshMax = SYNC_REFRESH_MAX_TOWNSHIPS;
  /** How long before the last check changes are looked for (tests that count recomputed townships lower it). */
  commitLagMs = COMMIT_LAG_MS;
  /** How old the last refresh may get before a request with nothing due moves the change window forward. */
  checkpointAfterMs = CHECKPOINT_AFTER_MS;

  constructor(
    private readonly repo: CoverageRepository,
    private readonly kept: KeptFiguresRepository,
    private readonly db: DataSource,
  ) {}

  period(month: string | undefined, now = new Date()): StatsPeriod {
    try {
      return statsPeriod(month ?? countyMonth(now), now);
    } catch (error) {
      throw new InvalidInputError(`month: ${(error as Error).message}`);
    }
  }

  /** Every township's counts for the period: kept, brought up to date, or (the first time) computed. */
  private async figures(period: StatsPeriod): Promise<Figures> {
    const townships = await this.repo.townships();
    const state = await this.kept.month(period.month);
    if (state?.final) return served(townships, await this.kept.rows(period.month), state.asOf, false);
    if (!state) {
      // a closed month's rows kept by the monthly job before the figures were maintained: history as well
      const legacy = period.closed ? await this.kept.rows(period.month) : new Map<string, KeptRow>();
      if (legacy.size > 0) return served(townships, legacy, latestAsOf(legacy), false);
      return (await this.refresh(period, townships)) ?? this.computeUnkept(period, townships);
    }
    const rows = await this.kept.rows(period.month);
    const due = await this.due(period, townships, state, rows);
    if (due.length === 0) {
      // every request reads the rows changed since the lag window before the last refresh; when that refresh is
      // long past (a bulk load, a busy hour, then quiet), move the window forward: a refresh of no township, in
      // the background, so that those rows are not read again by every request
      if (Date.now() - state.checkedTo.getTime() > this.checkpointAfterMs)
        void this.refreshInBackground(period, townships);
      return served(townships, rows, period.asOf, false);
    }
    if (due.length <= this.syncRefreshMax) {
      const fresh = await this.refresh(period, townships);
      if (fresh) return fresh;
    } else {
      void this.refreshInBackground(period, townships);
    }
    return served(townships, rows, state.asOf, true);
  }

  private async refreshInBackground(period: StatsPeriod, townships: Township[]): Promise<void> {
    await this.refresh(period, townships).catch((error: Error) =>
      this.logger.warn(`coverage ${period.month}: background refresh failed: ${messageWithoutValues(error.message)}`),
    );
  }

  /** The townships to recompute before the kept rows hold at the period's asOf. */
  private async due(
    period: StatsPeriod,
    townships: readonly Township[],
    state: KeptMonth,
    kept: ReadonlyMap<string, KeptTownship>,
  ): Promise<string[]> {
    const since = await this.repo.changes(new Date(state.checkedTo.getTime() - this.commitLagMs), state.checkedTo);
    const changes = changedSince(since, state.windowCounts);
    // this process's circles are reloaded when caregivers or points changed, or another process saw them change
    if (changes.servicePoints || this.circles?.signature !== state.circleSignature) {
      this.circles = await this.repo.serviceCircles();
    }
    const circlesChanged = this.circles.signature !== state.circleSignature;
    return dueTownships({
      townships: townships.map((t) => t.code),
      kept,
      changed: changes.all || circlesChanged ? 'all' : changes.townships,
      asOf: period.asOf,
    });
  }

  /**
   * Recomputes what is due (everything when `everything` or the month is new) under the month's lock and keeps
   * it. One per month at a time in this process; null when another process holds the lock.
   */
  private refresh(period: StatsPeriod, townships: Township[], everything = false): Promise<Figures | null> {
    const key = `${period.month}|${everything}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const work = (async () => {
      const started = Date.now();
      const result = await this.kept.withMonthLock(period.month, async (em, state) => {
        if (state?.final && !everything) {
          // the monthly job closed the month meanwhile: its rows are history now
          return { recomputed: 0, figures: served(townships, await this.kept.rows(period.month), state.asOf, false) };
        }
        const checkedTo = await this.repo.now();
        const window = windowSignatures(
          await this.repo.changes(new Date(checkedTo.getTime() - this.commitLagMs), checkedTo),
        );
        const rows = await this.kept.rows(period.month);
        const due = state && !everything ? await this.due(period, townships, state, rows) : null;
        if (!due || !this.circles) this.circles = await this.repo.serviceCircles();
        const circles = this.circles;
        const figures =
          due?.length === 0
            ? new Map<string, TownshipFigures>()
            : await this.repo.countsByTownship(period, townships, circles, due ? new Set(due) : undefined);
        const next: KeptMonth = {
          month: period.month,
          checkedTo,
          windowCounts: window,
          asOf: period.asOf,
          circleSignature: circles.signature,
          final: everything && period.closed,
        };
        await this.kept.save(em, next, figures, checkedTo);
        const counts = new Map<string, KeptTownship & { counts: CoverageCounts }>(rows);
        for (const [code, f] of figures) counts.set(code, f);
        return { recomputed: figures.size, figures: served(townships, counts, period.asOf, false) };
      });
      if (!result.ran) return null;
      const took = Date.now() - started;
      if (took >= 1000)
        this.logger.log(`coverage ${period.month}: ${result.value.recomputed} townships recomputed in ${took} ms`);
      return result.value.figures;
    })().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    return work;
  }

  /** The first figures of a month while another process computes and keeps them: computed here, not kept. */
  private async computeUnkept(period: StatsPeriod, townships: Township[]): Promise<Figures> {
    const figures = await this.repo.countsByTownship(period, townships, await this.repo.serviceCircles());
    return served(townships, figures, period.asOf, false);
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
    const c = await this.figures(period);
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
    const rows = townships.map((t) => ({ t, counts: counts.get(t.code) ?? emptyTownshipCounts() }));
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
    const c = await this.figures(period);
    const townships = this.select(c.townships, query.regionCode);
    const planned = await this.plannedBedsByRegion();
    const rows = townships.map((t) => ({ t, counts: c.counts.get(t.code) ?? emptyTownshipCounts() }));
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

  /**
   * Recomputes and keeps every township's counts for the month (the monthly job, and on demand). A closed month
   * becomes final: history, served as it is from then on (a second run replaces it). Throws a retryable error while
   * another process refreshes the month.
   */
  async snapshot(month: string, now = new Date()): Promise<{ month: string; townships: number }> {
    const period = this.period(month, now);
    const townships = await this.repo.townships();
    const figures = await this.refresh(period, townships, true);
    if (!figures) throw new Error(`coverage ${month}: another process is refreshing the month; retry`);
    return { month, townships: townships.length };
  }

  async history(query: { from: string; to: string; regionCode?: string }): Promise<HistoryReport> {
    if (query.from > query.to) throw new InvalidInputError('from: must not be after to');
    const months = monthsBetween(query.from, query.to, 121);
    if (months.length > 120) throw new InvalidInputError('to: at most 120 months at once');
    const townships = this.select(await this.repo.townships(), query.regionCode);
    const codes = new Set(townships.map((t) => t.code));
    const byMonth = new Map<string, { counts: CoverageCounts; asOf: Date; computedAt: Date }[]>();
    for (const r of await this.kept.history(query.from, query.to)) {
      if (!codes.has(r.regionCode)) continue;
      byMonth.set(r.month, [...(byMonth.get(r.month) ?? []), r]);
    }
    const items = months
      .filter((m) => byMonth.has(m))
      .map((month) => {
        const rows = byMonth.get(month) ?? [];
        const latest = (pick: (r: { asOf: Date; computedAt: Date }) => Date) =>
          new Date(Math.max(...rows.map((r) => pick(r).getTime())));
        return {
          month,
          asOf: toCountyIso(latest((r) => r.asOf)) ?? '',
          computedAt: toCountyIso(latest((r) => r.computedAt)) ?? '',
          indicators: computeIndicators(sumCounts(rows.map((r) => r.counts))),
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

function latestAsOf(rows: ReadonlyMap<string, KeptRow>): Date {
  return new Date(Math.max(...[...rows.values()].map((r) => r.asOf.getTime())));
}

/** The figures of every township (zeros for a township without a row). */
function served(
  townships: Township[],
  rows: ReadonlyMap<string, { counts: CoverageCounts }>,
  asOf: Date,
  stale: boolean,
): Figures {
  const counts = new Map(townships.map((t) => [t.code, rows.get(t.code)?.counts ?? emptyTownshipCounts()]));
  return { townships, counts, asOf, stale };
}
