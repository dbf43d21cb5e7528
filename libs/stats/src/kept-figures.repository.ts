import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { VISIT_ELIGIBLE_CATEGORIES, isLockBusyError } from '@care/core';
import { COUNTED_FACILITY_TYPES, residentFactsJson, type ResidentFacts } from './outbox';

import type { TownshipFigures } from './coverage.repository';
import type { OutboxChange } from './rules/freshness';
import type { CoverageCounts } from './rules/indicators';

/** What is known of a month's kept figures (stats_coverage_months). */
export interface KeptMonth {
  readonly month: string;
  /** When the last refresh ran (database clock). */
  readonly checkedTo: Date;
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
const MONTH_COLUMNS = 'month, checked_to, as_of, circle_signature, final';
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
  constructor(private readonly db: DataSource) {}

  /** The month's state, or null before its figures were first computed. */
  async month(month: string, em: EntityManager | QueryRunner = this.db.manager): Promise<KeptMonth | null> {
    const rows: Row[] = await em.query(`SELECT ${MONTH_COLUMNS} FROM stats_coverage_months WHERE month = ?`, [month]);
    return rows.length && rows[0].checked_to !== null ? toMonth(rows[0]) : null;
  }

  async rows(month: string, q: DataSource | QueryRunner = this.db): Promise<Map<string, KeptRow>> {
    const rows: Row[] = await q.query(
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

  /** Outbox rows waiting, for `month` (theirs and every open month's), summarised without a lock. */
  async pending(month: string): Promise<OutboxChange[]> {
    return toChanges(
      await this.db.query(
        `SELECT id, region_code, month, source, recompute, beds_in_service, nursing_beds, sign, facts, resident_id FROM stats_changes
         WHERE month IS NULL OR month = ? ORDER BY id`,
        [month],
      ),
    );
  }

  /**
   * Consumes the outbox: runs `work` in ONE transaction that holds the consumer's lock (one process at a time:
   * `{ ran: false }` at once when another holds it) and the rows of the months it writes, on one consistent
   * snapshot — the outbox rows it is given, the months' states and whatever `work` reads from the tables through
   * the query runner are all as of one instant, so a change is either in the tables `work` counts and among the
   * rows, or in neither. The rows given are deleted in the same transaction as what `work` saves: a crash before
   * COMMIT leaves them, and the kept figures, as they were; none is applied twice.
   */
  async consume<T>(
    month: string,
    work: (
      q: QueryRunner,
      kept: { states: KeptMonth[]; state: KeptMonth | null; changes: OutboxChange[] },
    ) => Promise<T>,
  ): Promise<{ ran: true; value: T } | { ran: false }> {
    // the month's row must exist before it can be locked; a plain read first, because INSERT IGNORE on a row another
    // process holds locked would wait for that lock instead of failing at once
    const exists = (await this.db.query(`SELECT 1 AS x FROM stats_coverage_months WHERE month = ?`, [month])) as Row[];
    if (exists.length === 0)
      await this.db.query(`INSERT IGNORE INTO stats_coverage_months (month) VALUES (?)`, [month]);
    const open = (
      (await this.db.query(
        `SELECT month FROM stats_coverage_months WHERE final = 0 AND checked_to IS NOT NULL`,
      )) as Row[]
    ).map((r) => String(r.month));
    const months = [...new Set([month, ...open])].sort();
    const q = this.db.createQueryRunner('master');
    await q.connect();
    let begun = false;
    // the api's statement time limit (4 s) is for requests; counting a month whole (the first time, the monthly job)
    // legitimately reads every elder: no limit on this connection while it consumes, the pool's limit restored after
    const [server] = (await q.query('SELECT @@version AS v')) as Row[];
    const limit = /mariadb/i.test(String(server.v)) ? 'max_statement_time' : 'max_execution_time';
    // and room in memory for the province-wide pass's set of eligible ids (16 MB by default: on disk beyond)
    await q.query(
      `SET @care_statement_limit = @@SESSION.${limit}, SESSION ${limit} = 0,
           @care_tmp_table = @@SESSION.tmp_table_size, SESSION tmp_table_size = 67108864,
           @care_heap_table = @@SESSION.max_heap_table_size, SESSION max_heap_table_size = 67108864`,
    );
    try {
      // the connections read committed by default; the counts and the outbox must come from one snapshot
      await q.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await q.query('START TRANSACTION');
      begun = true;
      // locking reads (they read the latest rows and create no snapshot): the consumer, then the months written
      const [lock] = (await q.query(
        'SELECT version FROM stats_change_consumer WHERE id = 1 FOR UPDATE NOWAIT',
      )) as Row[];
      await q.query(`SELECT month FROM stats_coverage_months WHERE month IN (?) ORDER BY month FOR UPDATE NOWAIT`, [
        months,
      ]);
      // the first plain read creates the snapshot: it must show the consumer as locked (no consumption between)
      const [seen] = (await q.query('SELECT version FROM stats_change_consumer WHERE id = 1')) as Row[];
      const rows = (await q.query(
        `SELECT ${MONTH_COLUMNS} FROM stats_coverage_months WHERE month IN (?) OR (final = 0 AND checked_to IS NOT NULL)`,
        [months],
      )) as Row[];
      if (String(seen.version) !== String(lock.version) || rows.some((r) => !months.includes(String(r.month)))) {
        // another process consumed (or kept a new month) between the plain reads and the locks: the next read will
        await q.query('ROLLBACK');
        begun = false;
        return { ran: false };
      }
      const states = rows.filter((r) => r.checked_to !== null).map(toMonth);
      const changes = toChanges(
        await q.query(
          'SELECT id, region_code, month, source, recompute, beds_in_service, nursing_beds, sign, facts, resident_id FROM stats_changes ORDER BY id',
        ),
      );
      const value = await work(q, { states, state: states.find((s) => s.month === month) ?? null, changes });
      const ids = changes.map((c) => c.id);
      for (let i = 0; i < ids.length; i += 1000)
        await q.query('DELETE FROM stats_changes WHERE id IN (?)', [ids.slice(i, i + 1000)]);
      await q.query('UPDATE stats_change_consumer SET version = version + 1 WHERE id = 1');
      await q.query('COMMIT');
      begun = false;
      return { ran: true, value };
    } catch (error) {
      if (begun) await q.query('ROLLBACK').catch(() => undefined);
      if (isLockBusyError(error)) return { ran: false };
      throw error;
    } finally {
      await q
        .query(
          `SET SESSION ${limit} = @care_statement_limit, SESSION tmp_table_size = @care_tmp_table,
               SESSION max_heap_table_size = @care_heap_table`,
        )
        .catch(() => undefined);
      await q.release();
    }
  }

  /**
   * Residents' facts as they are on the consumer's snapshot (plain reads: they lock nothing), as JSON text by
   * resident; a resident that no longer exists is absent.
   */
  async currentFacts(q: QueryRunner, residentIds: readonly string[], since: Date): Promise<Map<string, string>> {
    const json = residentFactsJson(since);
    const out = new Map<string, string>();
    for (let i = 0; i < residentIds.length; i += 500) {
      const rows = (await q.query(`SELECT r.id, ${json.sql} AS facts FROM residents r WHERE r.id IN (?)`, [
        ...json.params,
        residentIds.slice(i, i + 500),
      ])) as Row[];
      for (const r of rows) out.set(String(r.id), jsonText(r.facts));
    }
    return out;
  }

  /**
   * The facts of every resident who may count in these townships (eligible category at home there, or a stay in one
   * of their institutions since `since`), on the consumer's snapshot: what their counting from the tables counted.
   */
  async townshipFacts(q: QueryRunner, townships: readonly string[], since: Date): Promise<Map<string, string>> {
    const json = residentFactsJson(since);
    const eligible = VISIT_ELIGIBLE_CATEGORIES.map((c) => `'${c}'`).join(', ');
    const institutions = COUNTED_FACILITY_TYPES.map((t) => `'${t}'`).join(', ');
    const rows = (await q.query(
      `SELECT r.id, ${json.sql} AS facts FROM (
         SELECT h.id AS id FROM residents h WHERE h.region_code IN (?) AND h.living_arrangement = 'home'
           AND EXISTS (SELECT 1 FROM resident_categories c WHERE c.resident_id = h.id AND c.category IN (${eligible}))
         UNION
         SELECT s.resident_id AS id FROM facilities f
           JOIN stays s ON s.facility_id = f.id AND (s.discharged_at IS NULL OR s.discharged_at > ?)
           JOIN beds b ON b.id = s.bed_id AND b.status <> 'closed'
         WHERE f.region_code IN (?) AND f.type IN (${institutions})
       ) counted JOIN residents r ON r.id = counted.id`,
      [...json.params, townships, since, townships],
    )) as Row[];
    return new Map(rows.map((r) => [String(r.id), jsonText(r.facts)]));
  }

  /** The facts statistics last counted for these residents (JSON text by resident; absent: counted nowhere). */
  async countedFacts(q: QueryRunner, residentIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < residentIds.length; i += 500) {
      const rows = (await q.query('SELECT resident_id, facts FROM stats_resident_facts WHERE resident_id IN (?)', [
        residentIds.slice(i, i + 500),
      ])) as Row[];
      for (const r of rows) out.set(String(r.resident_id), String(r.facts));
    }
    return out;
  }

  /** Keeps residents' facts as counted (inside the consumption that counted them); forgets `gone`. */
  async keepFacts(q: QueryRunner, facts: ReadonlyMap<string, string>, gone: readonly string[] = []): Promise<void> {
    const rows = [...facts];
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await q.query(
        `INSERT INTO stats_resident_facts (resident_id, facts, counted_at) VALUES ${chunk.map(() => '(?, ?, CURRENT_TIMESTAMP(3))').join(', ')}
         ON DUPLICATE KEY UPDATE facts = VALUES(facts), counted_at = VALUES(counted_at)`,
        chunk.flat(),
      );
    }
    for (let i = 0; i < gone.length; i += 500)
      await q.query('DELETE FROM stats_resident_facts WHERE resident_id IN (?)', [gone.slice(i, i + 500)]);
  }

  /** Forgets every resident's counted facts (every township of every open month was just counted again). */
  async forgetAllFacts(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM stats_resident_facts');
  }

  /** Saves township figures and the month's state (inside withMonthLock). */
  async save(
    em: QueryRunner,
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
      `UPDATE stats_coverage_months SET checked_to = ?, as_of = ?, circle_signature = ?, final = ?, refreshed_at = ?
       WHERE month = ?`,
      [state.checkedTo, state.asOf, state.circleSignature, state.final ? 1 : 0, computedAt, state.month],
    );
  }
}

/** A JSON value as text: the driver parses a JSON expression's value, a LONGTEXT column comes as written. */
function jsonText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function toMonth(r: Row): KeptMonth {
  return {
    month: String(r.month),
    checkedTo: asDate(r.checked_to),
    asOf: asDate(r.as_of),
    circleSignature: String(r.circle_signature),
    final: Number(r.final) === 1,
  };
}

function toChanges(rows: Row[]): OutboxChange[] {
  return rows.map((r) => ({
    id: String(r.id),
    regionCode: r.region_code === null ? null : String(r.region_code),
    month: r.month === null ? null : String(r.month),
    source: String(r.source),
    recompute: Number(r.recompute) === 1,
    bedsInService: Number(r.beds_in_service),
    nursingBeds: Number(r.nursing_beds),
    sign: Number(r.sign ?? 0),
    facts: r.facts === null || r.facts === undefined ? null : (JSON.parse(String(r.facts)) as ResidentFacts),
    residentId: r.resident_id === null || r.resident_id === undefined ? null : String(r.resident_id),
  }));
}
