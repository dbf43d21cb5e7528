import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { InvalidInputError, NotFoundError, messageWithoutValues, toCountyIso } from '@care/core';

import { CoverageRepository, type ServiceCircles, type Township, type TownshipFigures } from './coverage.repository';
import { KeptFiguresRepository, type KeptMonth, type KeptRow } from './kept-figures.repository';
import { residentFactsSince, type ResidentFacts } from './outbox';
import {
  applyDeltas,
  dueTownships,
  earliest,
  monthChanges,
  type KeptTownship,
  type MonthChanges,
  type OutboxChange,
} from './rules/freshness';
import { addResident, residentContribution } from './rules/resident-contribution';
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
 *   changes them. The libraries that own the source tables write an outbox row with every change, in the same
 *   transaction (`stats_changes`, @care/stats/outbox's statements); a request consumes the rows: a counted change
 *   is added to the kept counts, and only the townships a row names for counting again, those the clock passed
 *   (`changesAt`), or all of them when the circles changed, are counted from the tables — so a request costs about
 *   the same for 28 townships or a province (rules/freshness.ts);
 * - up to SYNC_REFRESH_MAX_TOWNSHIPS due townships are recomputed before answering, so the answer is exact and
 *   current; more (the first figures of a month aside) are recomputed in the background while the kept figures
 *   are served marked `stale: true` with their `asOf` (stale-while-revalidate);
 * - one consumer at a time across processes (a row lock on stats_change_consumer, and the rows of the months it
 *   writes); a process that finds it taken serves what is kept, marked stale when something is pending;
 * - a closed month snapshotted by the monthly job (00:30 on the 1st) is final: history, no longer refreshed,
 *   because beds keep no history and a later recomputation would mix today's beds into the past.
 */
const SYNC_REFRESH_MAX_TOWNSHIPS = 40;
/**
 * Townships whose residents' facts are read at once when they were counted (a province of 1,400 townships: 280
 * reads). Small enough that one read stays well inside the statement time limit at a province's size: with 50, one
 * read at a tenth of a province's data (about 3,900 residents) once took over the 4.5 s limit on a busy machine
 * (`BENCH_STATS_DIVIDE=10 npm run bench stats`); 5 townships at full size are about as many residents.
 */
const FACTS_TOWNSHIPS_PER_READ = 5;

@Injectable()
export class CoverageService {
  private readonly logger = new Logger(CoverageService.name);
  private readonly inFlight = new Map<string, Promise<Figures | null>>();
  /** The service circles as this process last read them (reloaded when they may have changed). */
  private circles: ServiceCircles | null = null;
  /** Due townships recomputed before answering; beyond, in the background (tests lower it). */
  syncRefreshMax = SYNC_REFRESH_MAX_TOWNSHIPS;

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
    const changes = monthChanges(await this.kept.pending(period.month), period.month, period.start);
    const due = await this.due(period, townships, state, rows, changes);
    if (due.length === 0 && changes.deltas.size === 0 && changes.residents.length === 0 && changes.marked.size === 0)
      return served(townships, rows, period.asOf, false);
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

  /**
   * The townships to count again before the kept rows hold at the period's asOf: those the outbox names, those
   * the clock passed, every one when the circles changed. (`q`: read the circles in that transaction.)
   */
  private async due(
    period: StatsPeriod,
    townships: readonly Township[],
    state: KeptMonth,
    kept: ReadonlyMap<string, KeptTownship>,
    changes: MonthChanges,
    q?: QueryRunner,
  ): Promise<string[]> {
    // this process's circles are reloaded when a service point or caregiver changed, or another process saw them change
    if (changes.circles || this.circles?.signature !== state.circleSignature) {
      this.circles = await this.repo.serviceCircles(q);
    }
    const circlesChanged = this.circles.signature !== state.circleSignature;
    return dueTownships({
      townships: townships.map((t) => t.code),
      kept,
      changed: circlesChanged ? 'all' : changes.recompute,
      asOf: period.asOf,
    });
  }

  /**
   * Consumes the outbox (KeptFiguresRepository.consume: one process at a time, one snapshot, the rows deleted with
   * what they changed) into every month kept open: counted changes are added to the kept counts, the townships
   * that are due are counted again from the tables. The period's month is counted whole when it is new or when
   * `everything` (the snapshot job). One at a time in this process; null when another process consumes.
   */
  private refresh(period: StatsPeriod, townships: Township[], everything = false): Promise<Figures | null> {
    const key = `${period.month}|${everything}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const work = (async () => {
      const started = Date.now();
      const result = await this.kept.consume(period.month, async (q, { states, state, changes: rows }) => {
        const checkedTo = await this.repo.now(q);
        // residents' markers: their facts now (this snapshot holds their changes) against those last counted
        const since = residentFactsSince(checkedTo);
        const marked = [...new Set(rows.flatMap((r) => (r.residentId === null ? [] : [r.residentId])))];
        const current = marked.length ? await this.kept.currentFacts(q, marked, since) : new Map<string, string>();
        const counted = marked.length ? await this.kept.countedFacts(q, marked) : new Map<string, string>();
        const changes = [...rows.filter((r) => r.residentId === null), ...residentChanges(marked, counted, current)];
        // the townships counted from the tables (in any month), and whether every month was counted whole
        const countedAgain = new Set<string>();
        let everyMonthWhole = true;
        let recomputed = 0;
        let figuresOfPeriod: Figures | null =
          state?.final && !everything
            ? // the monthly job closed the month meanwhile: its rows are history now
              served(townships, await this.kept.rows(period.month, q), state.asOf, false)
            : null;
        const months = new Set(states.filter((s) => !s.final).map((s) => s.month));
        if (!state || everything) months.add(period.month);
        for (const month of [...months].sort()) {
          const p = month === period.month ? period : this.period(month);
          const kept = states.find((s) => s.month === month);
          const whole = !kept || (everything && month === period.month);
          const rows = whole && !kept ? new Map<string, KeptRow>() : await this.kept.rows(month, q);
          const mc = monthChanges(changes, month, p.start);
          const due = whole ? null : await this.due(p, townships, kept, rows, mc, q);
          if (!this.circles || whole) this.circles = await this.repo.serviceCircles(q);
          const circles = this.circles;
          const figures =
            due?.length === 0
              ? new Map<string, TownshipFigures>()
              : await this.repo.countsByTownship(p, townships, circles, due ? new Set(due) : undefined, q);
          recomputed += figures.size;
          const countedCodes = due ?? townships.map((t) => t.code);
          for (const code of countedCodes) countedAgain.add(code);
          if (countedCodes.length < townships.length) everyMonthWhole = false;
          // counted changes and residents' facts, on the townships not counted again from the same snapshot
          // (their changes are in it)
          if (!whole)
            for (const [code, f] of this.applied(p, townships, circles, rows, mc, figures)) figures.set(code, f);
          const next: KeptMonth = {
            month,
            checkedTo,
            asOf: p.asOf,
            circleSignature: circles.signature,
            final: everything && month === period.month && p.closed,
          };
          await this.kept.save(q, next, figures, checkedTo);
          if (month === period.month) {
            const counts = new Map<string, KeptTownship & { counts: CoverageCounts }>(rows);
            for (const [code, f] of figures) counts.set(code, f);
            figuresOfPeriod = served(townships, counts, period.asOf, false);
          }
        }
        // the facts counted, kept as the "before" of each resident's next change: those of the residents of the
        // townships counted from the tables, and of the residents marked (all from this snapshot). When every
        // township of every open month was counted, what was kept before is forgotten (a facility's change may have
        // moved residents' facts without a marker of theirs)
        if (months.size > 0 && everyMonthWhole) await this.kept.forgetAllFacts(q);
        const codes = [...countedAgain].sort();
        for (let i = 0; i < codes.length; i += FACTS_TOWNSHIPS_PER_READ)
          await this.kept.keepFacts(
            q,
            await this.kept.townshipFacts(q, codes.slice(i, i + FACTS_TOWNSHIPS_PER_READ), since),
          );
        await this.kept.keepFacts(
          q,
          current,
          marked.filter((id) => !current.has(id)),
        );
        return { recomputed, figures: figuresOfPeriod };
      });
      if (!result.ran || !result.value.figures) return null;
      const took = Date.now() - started;
      if (took >= 1000)
        this.logger.log(`coverage ${period.month}: ${result.value.recomputed} townships recomputed in ${took} ms`);
      return result.value.figures;
    })().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    return work;
  }

  /**
   * The kept counts of the townships `recounted` leaves out, with the month's counted changes added and each
   * resident's facts counted after its change minus before it.
   */
  private applied(
    period: StatsPeriod,
    townships: readonly Township[],
    circles: ServiceCircles,
    rows: ReadonlyMap<string, KeptTownship & { counts: CoverageCounts }>,
    changes: MonthChanges,
    recounted: ReadonlyMap<string, TownshipFigures>,
  ): Map<string, TownshipFigures> {
    const out = new Map<string, TownshipFigures>();
    const current = (code: string): TownshipFigures =>
      out.get(code) ?? {
        counts: rows.get(code)?.counts ?? emptyTownshipCounts(),
        changesAt: rows.get(code)?.changesAt ?? null,
      };
    for (const [code, delta] of changes.deltas) {
      if (recounted.has(code)) continue;
      const f = current(code);
      out.set(code, { counts: applyDeltas(f.counts, delta), changesAt: f.changesAt });
    }
    if (changes.residents.length === 0) return out;
    const codes = new Set(townships.map((t) => t.code));
    const inside = this.repo.insideCircle(circles, townships);
    for (const { sign, facts } of changes.residents) {
      for (const [code, share] of residentContribution(facts, period, codes, inside)) {
        if (recounted.has(code)) continue;
        const f = current(code);
        out.set(code, {
          counts: addResident(f.counts, share.counts, sign),
          // the clock may change the resident's share later: the township is counted again then
          changesAt: sign > 0 ? earliest(f.changesAt, share.changesAt) : f.changesAt,
        });
      }
    }
    return out;
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

/**
 * Residents' markers as facts rows: the facts last counted (−1, when some were) and the facts now (+1, unless the
 * resident is gone), for every month kept open. Unchanged facts give nothing.
 */
function residentChanges(
  marked: readonly string[],
  counted: ReadonlyMap<string, string>,
  current: ReadonlyMap<string, string>,
): OutboxChange[] {
  const row = (residentId: string, sign: 1 | -1, facts: string): OutboxChange => ({
    id: `resident:${residentId}:${sign}`,
    regionCode: null,
    month: null,
    source: 'residents',
    recompute: false,
    bedsInService: 0,
    nursingBeds: 0,
    sign,
    facts: JSON.parse(facts) as ResidentFacts,
    residentId: null,
  });
  const out: OutboxChange[] = [];
  for (const id of marked) {
    const before = counted.get(id);
    const after = current.get(id);
    if (before === after) continue;
    if (before !== undefined) out.push(row(id, -1, before));
    if (after !== undefined) out.push(row(id, 1, after));
  }
  return out;
}
