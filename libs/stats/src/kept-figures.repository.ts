import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isLockBusyError, TransactionRunner } from '@care/core';

import type { TownshipFigures } from './coverage.repository';
import type { WindowSignatures } from './rules/freshness';
import type { CoverageCounts } from './rules/indicators';

/** What is known of a month's kept figures (stats_coverage_months). */
export interface KeptMonth {
  readonly month: string;
  /** When the last refresh started (database clock): rows committed by then are in the kept rows. */
  readonly checkedTo: Date;
  /** What that refresh saw updated in the lag window before `checkedTo`, per source and township (count and updated_at sum). */
  readonly windowCounts: WindowSignatures;
  /** The instant every kept row was last known to hold for. */
  readonly asOf: Date;
  readonly circleSignature: string;
  /**
   * A closed month snapshotted by the monthly job (or on demand): its rows are history and served as they are.
   * Beds keep no history, so recomputing a past month later would mix today's beds into it.
   */
  readonly final: boolean;
}

export interface KeptRow extends TownshipFigures {
  readonly regionCode: string;
  readonly asOf: Date;
  readonly computedAt: Date;
}

type Row = Record<string, unknown>;
const COLUMNS = [
  'beds_in_service',
  'nursing_beds',
  'occupied_beds',
  'with_comprehensive',
  'eligible_elders',
  'eligible_with_three_visits',
  'eligible_inside_service_circle',
  'assessable_elders',
  'with_valid_assessment',
  'with_expired_assessment',
  'social_workers',
] as const;

function countsOf(r: Row): CoverageCounts {
  const n = (column: (typeof COLUMNS)[number]) => Number(r[column]);
  return {
    bedsInService: n('beds_in_service'),
    nursingBeds: n('nursing_beds'),
    occupiedBeds: n('occupied_beds'),
    townships: 1,
    townshipsWithComprehensive: n('with_comprehensive'),
    eligibleElders: n('eligible_elders'),
    eligibleWithThreeVisits: n('eligible_with_three_visits'),
    eligibleInsideServiceCircle: n('eligible_inside_service_circle'),
    assessableElders: n('assessable_elders'),
    eldersWithValidAssessment: n('with_valid_assessment'),
    eldersWithExpiredAssessment: n('with_expired_assessment'),
    socialWorkers: r.social_workers === null ? null : n('social_workers'),
  };
}

function valuesOf(c: CoverageCounts): (number | null)[] {
  return [
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
  ];
}

const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));

/**
 * The kept coverage figures: one row per township and month (stats_coverage_snapshots, which history reads) and
 * one per month (stats_coverage_months) whose row lock serialises refreshes across api and dispatcher processes.
 */
@Injectable()
export class KeptFiguresRepository {
  constructor(
    private readonly db: DataSource,
    private readonly tx: TransactionRunner,
  ) {}

  /** The month's state, or null before its figures were first computed. */
  async month(month: string, em: EntityManager = this.db.manager): Promise<KeptMonth | null> {
    const rows: Row[] = await em.query(
      `SELECT month, checked_to, as_of, circle_signature, window_counts, final FROM stats_coverage_months WHERE month = ?`,
      [month],
    );
    return rows.length && rows[0].checked_to !== null ? toMonth(rows[0]) : null;
  }

  async rows(month: string): Promise<Map<string, KeptRow>> {
    const rows: Row[] = await this.db.query(
      `SELECT region_code, ${COLUMNS.join(', ')}, as_of, changes_at, computed_at
       FROM stats_coverage_snapshots WHERE month = ?`,
      [month],
    );
    return new Map(
      rows.map((r) => [
        String(r.region_code),
        {
          regionCode: String(r.region_code),
          counts: countsOf(r),
          changesAt: r.changes_at === null ? null : asDate(r.changes_at),
          asOf: asDate(r.as_of),
          computedAt: asDate(r.computed_at),
        },
      ]),
    );
  }

  /** Kept rows of a range of months (history), with the instant each month was last verified for. */
  async history(
    from: string,
    to: string,
  ): Promise<{ month: string; regionCode: string; counts: CoverageCounts; asOf: Date; computedAt: Date }[]> {
    const rows: Row[] = await this.db.query(
      `SELECT s.month, s.region_code, ${COLUMNS.map((c) => `s.${c}`).join(', ')},
              COALESCE(GREATEST(s.as_of, m.as_of), s.as_of) AS as_of, s.computed_at
       FROM stats_coverage_snapshots s LEFT JOIN stats_coverage_months m ON m.month = s.month
       WHERE s.month BETWEEN ? AND ? ORDER BY s.month, s.region_code`,
      [from, to],
    );
    return rows.map((r) => ({
      month: String(r.month),
      regionCode: String(r.region_code),
      counts: countsOf(r),
      asOf: asDate(r.as_of),
      computedAt: asDate(r.computed_at),
    }));
  }

  /**
   * Runs `work` holding the month's lock, in one transaction with what it saves. Returns `{ ran: false }` at once
   * when another process holds the lock (it is refreshing the same month).
   */
  async withMonthLock<T>(
    month: string,
    work: (em: EntityManager, state: KeptMonth | null) => Promise<T>,
  ): Promise<{ ran: true; value: T } | { ran: false }> {
    // the lock row must exist before it can be locked; a plain read first, because INSERT IGNORE on a row another
    // process holds locked would wait for that lock (a whole province's refresh) instead of failing at once
    const exists = (await this.db.query(`SELECT 1 AS x FROM stats_coverage_months WHERE month = ?`, [month])) as Row[];
    if (exists.length === 0)
      await this.db.query(`INSERT IGNORE INTO stats_coverage_months (month) VALUES (?)`, [month]);
    try {
      const value = await this.tx.run(
        async (em) => {
          const [row] = (await em.query(
            `SELECT month, checked_to, as_of, circle_signature, window_counts, final FROM stats_coverage_months WHERE month = ? FOR UPDATE NOWAIT`,
            [month],
          )) as Row[];
          return work(em, row.checked_to === null ? null : toMonth(row));
        },
        { retries: 0 },
      );
      return { ran: true, value };
    } catch (error) {
      if (isLockBusyError(error)) return { ran: false };
      throw error;
    }
  }

  /** Saves township figures and the month's state (inside withMonthLock). */
  async save(
    em: EntityManager,
    state: KeptMonth,
    figures: ReadonlyMap<string, TownshipFigures>,
    computedAt: Date,
  ): Promise<void> {
    const rows = [...figures].map(([code, f]) => [
      state.month,
      code,
      ...valuesOf(f.counts),
      state.asOf,
      f.changesAt,
      computedAt,
    ]);
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await em.query(
        `INSERT INTO stats_coverage_snapshots (month, region_code, ${COLUMNS.join(', ')}, as_of, changes_at, computed_at)
         VALUES ${chunk.map((r) => `(${r.map(() => '?').join(', ')})`).join(', ')}
         ON DUPLICATE KEY UPDATE ${[...COLUMNS, 'as_of', 'changes_at', 'computed_at'].map((c) => `${c} = VALUES(${c})`).join(', ')}`,
        chunk.flat(),
      );
    }
    await em.query(
      `UPDATE stats_coverage_months SET checked_to = ?, as_of = ?, circle_signature = ?, window_counts = ?, final = ?, refreshed_at = ?
       WHERE month = ?`,
      [
        state.checkedTo,
        state.asOf,
        state.circleSignature,
        JSON.stringify(state.windowCounts),
        state.final ? 1 : 0,
        computedAt,
        state.month,
      ],
    );
  }
}

function toMonth(r: Row): KeptMonth {
  return {
    month: String(r.month),
    checkedTo: asDate(r.checked_to),
    asOf: asDate(r.as_of),
    circleSignature: String(r.circle_signature),
    windowCounts: r.window_counts ? (JSON.parse(String(r.window_counts)) as WindowSignatures) : {},
    final: Number(r.final) === 1,
  };
}
