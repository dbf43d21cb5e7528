/**
 * The statistics outbox (table `stats_changes`, created by @care/stats' migration): how the libraries that own the
 * tables the coverage figures come from tell @care/stats what changed. The OWNER writes one row per change in the
 * SAME transaction as the change — a statement of its write batch, so the hot paths keep their round trips — and
 * statistics consume the rows (see libs/stats/README.md). Nothing else tells statistics of a change: a row written
 * to those tables without its statsChange is not seen until the monthly snapshot recomputes everything.
 *
 * A row names the township it touches (null: every township), the month it counts in (null: every month whose
 * figures are still kept open — the figures are computed from the tables as they are now), what changed, and
 * either the change to each count it moves by a known amount, or `recompute`: the township is counted again
 * (a change whose effect on the counts depends on more than the writer reads), or a resident's marker
 * ({@link residentChangeStatement}: statistics read the resident's facts themselves).
 * Pure: builds statements; TypeORM code runs them with {@link writeStatsChanges}, the hot path puts them in its
 * batch.
 */
import { stmt, type SqlStatement } from '@care/core';
import { VISIT_ELIGIBLE_CATEGORIES } from '@care/core';

/** What changed: the owner's table. `service_circles`: the service points with an active caregiver may have. */
export type StatsChangeSource =
  'facilities' | 'beds' | 'stays' | 'residents' | 'assessments' | 'visits' | 'service_circles';

/** Counts a change moves by an amount its writer knows (columns of stats_changes and stats_coverage_snapshots). */
export interface StatsCountDeltas {
  readonly bedsInService?: number;
  readonly nursingBeds?: number;
}

export type StatsChange =
  /** Counts of a township moved by a known amount. */
  | {
      readonly source: StatsChangeSource;
      readonly regionCode: string;
      readonly month?: string | null;
      readonly deltas: StatsCountDeltas;
    }
  /** A township (null: every township) to count again. */
  | {
      readonly source: StatsChangeSource;
      readonly regionCode: string | null;
      readonly month?: string | null;
      readonly recompute: true;
    }
  /** The circles may have changed: statistics compare them and count every township again if they did. */
  | { readonly source: 'service_circles' };

const INSERT = `INSERT INTO stats_changes (region_code, month, source, recompute, beds_in_service, nursing_beds)`;
/** Milliseconds since 1970 of a DATETIME column (stored in UTC), whatever the session's time zone. */
const ms = (column: string) => `TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ${column}) DIV 1000`;

/** The INSERT of one change. */
export function statsChangeStatement(change: StatsChange): SqlStatement {
  const month = 'month' in change ? (change.month ?? null) : null;
  if ('deltas' in change) {
    return stmt(`${INSERT} VALUES (?, ?, ?, 0, ?, ?)`, [
      change.regionCode,
      month,
      change.source,
      change.deltas.bedsInService ?? 0,
      change.deltas.nursingBeds ?? 0,
    ]);
  }
  if ('recompute' in change) {
    return stmt(`${INSERT} VALUES (?, ?, ?, 1, 0, 0)`, [change.regionCode, month, change.source]);
  }
  return stmt(`${INSERT} VALUES (NULL, NULL, 'service_circles', 0, 0, 0)`);
}

/**
 * "Count again" for the townships a resident's figures fall in, read by the statement itself (no round trip):
 * the resident's own township (at home), the township of the facility of the resident's active stay (an
 * institution resident counts there), and `facilityId`'s township when given (a stay that just ended). Written
 * after the change (and, when the change may move the resident to another township, before it as well).
 * `residentId` may be a SQL expression (`{ sql: '@hot_stay_resident' }`) set earlier in the same batch.
 */
export function residentStatsChangeStatement(
  source: StatsChangeSource,
  residentId: string | { readonly sql: string },
  options: { readonly facilityId?: string; readonly month?: string | null } = {},
): SqlStatement {
  const id = typeof residentId === 'string' ? { sql: '?', params: [residentId] } : { sql: residentId.sql, params: [] };
  const parts = [
    { sql: `SELECT r.region_code FROM residents r WHERE r.id = ${id.sql}`, params: id.params },
    {
      sql: `SELECT f.region_code FROM stays s JOIN facilities f ON f.id = s.facility_id WHERE s.resident_id = ${id.sql} AND s.status = 'active'`,
      params: id.params,
    },
    ...(options.facilityId
      ? [{ sql: 'SELECT f.region_code FROM facilities f WHERE f.id = ?', params: [options.facilityId] }]
      : []),
  ];
  return stmt(
    `${INSERT} SELECT DISTINCT t.region_code, ?, ?, 1, 0, 0 FROM (${parts.map((p) => p.sql).join(' UNION ')}) t`,
    [options.month ?? null, source, ...parts.flatMap((p) => p.params)],
  );
}

/** Anything that runs a statement with its values: a TypeORM EntityManager or QueryRunner. */
export interface StatsChangeWriter {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Runs change statements on a TypeORM transaction's manager (the owner's transaction). */
export async function writeStatsChanges(
  em: StatsChangeWriter,
  changes: readonly (StatsChange | SqlStatement)[],
): Promise<void> {
  for (const change of changes) {
    const s = 'sql' in change ? change : statsChangeStatement(change);
    await em.query(s.sql, [...s.params]);
  }
}

/** Facility types whose beds the coverage figures count (domain.md §2, §6): institutions; community stations stay out. */
export const COUNTED_FACILITY_TYPES = ['welfare_institute', 'nursing_home', 'service_center'] as const;

/** A bed as the figures see it (null: no bed). In service = not `closed`; nursing-type counted while in service. */
export interface CountedBed {
  readonly type: string;
  readonly status: string;
}

/** The change to the bed counts when a bed goes from `before` to `after` (null: created, or gone). */
export function bedCountDeltas(before: CountedBed | null, after: CountedBed | null): Required<StatsCountDeltas> {
  const inService = (b: CountedBed | null) => (b && b.status !== 'closed' ? 1 : 0);
  const nursing = (b: CountedBed | null) => (b && b.status !== 'closed' && b.type === 'nursing' ? 1 : 0);
  return { bedsInService: inService(after) - inService(before), nursingBeds: nursing(after) - nursing(before) };
}

/**
 * The counted change of beds of one facility, in the facility's township; nothing when the facility is not an
 * institution or the change is zero (the statement then inserts no row).
 */
export function bedStatsChangeStatement(facilityId: string, deltas: Required<StatsCountDeltas>): SqlStatement {
  const types = COUNTED_FACILITY_TYPES.map((t) => `'${t}'`).join(', ');
  return stmt(
    `${INSERT} SELECT f.region_code, NULL, 'beds', 0, ?, ? FROM facilities f
     WHERE f.id = ? AND f.type IN (${types}) AND (? <> 0 OR ? <> 0)`,
    [deltas.bedsInService, deltas.nursingBeds, facilityId, deltas.bedsInService, deltas.nursingBeds],
  );
}

/**
 * A resident's facts as the coverage figures count them: where the resident lives (township, at home or not, the
 * place), the birth date, whether a category makes the elder eligible, every assessment (assessed, valid until),
 * the completed visits and the institution stays (township, admitted, discharged; beds in service) since `since`.
 * Statistics read them on their own snapshot when they consume a resident's change (see
 * {@link residentChangeStatement}) and keep the facts they counted (`stats_resident_facts`); they count the
 * resident from each with the rule they count a township with and add the difference. Facts, not counts: no
 * statistics rule here.
 */
export interface ResidentFacts {
  readonly region: string;
  readonly birth: string;
  readonly home: boolean | number | string;
  readonly eligible: boolean | number | string;
  readonly lat: number | null;
  readonly lng: number | null;
  /** [assessed at, valid until or null], ms. */
  readonly assessments: readonly [number, number | null][] | null;
  /** Completed at, ms, since `since`. */
  readonly visits: readonly number[] | null;
  /** [facility township, admitted at, discharged at or null], ms: stays on beds in service of institutions. */
  readonly stays: readonly [string, number, number | null][] | null;
  /** ms: visits and stays are complete from this instant on. */
  readonly since: number;
}

/**
 * The JSON of {@link ResidentFacts} of the resident row `r` (an expression of a SELECT ... FROM residents r), with
 * its values. Read by statistics, never in a writer's transaction.
 */
export function residentFactsJson(since: Date): SqlStatement {
  const institutions = COUNTED_FACILITY_TYPES.map((t) => `'${t}'`).join(', ');
  const eligible = VISIT_ELIGIBLE_CATEGORIES.map((c) => `'${c}'`).join(', ');
  return stmt(
    `JSON_OBJECT(
       'region', r.region_code,
       'birth', DATE_FORMAT(r.birth_date, '%Y-%m-%d'),
       'home', r.living_arrangement = 'home',
       'eligible', EXISTS (SELECT 1 FROM resident_categories c WHERE c.resident_id = r.id AND c.category IN (${eligible})),
       'lat', r.lat, 'lng', r.lng,
       'assessments', (SELECT JSON_ARRAYAGG(JSON_ARRAY(${ms('a.assessed_at')}, ${ms('a.valid_until')}))
                       FROM assessments a WHERE a.resident_id = r.id),
       'visits', (SELECT JSON_ARRAYAGG(${ms('o.completed_at')}) FROM care_orders o
                  WHERE o.resident_id = r.id AND o.status = 'completed' AND o.completed_at >= ?),
       'stays', (SELECT JSON_ARRAYAGG(JSON_ARRAY(f.region_code, ${ms('s.admitted_at')}, ${ms('s.discharged_at')}))
                 FROM stays s JOIN facilities f ON f.id = s.facility_id AND f.type IN (${institutions})
                 JOIN beds b ON b.id = s.bed_id AND b.status <> 'closed'
                 WHERE s.resident_id = r.id AND (s.discharged_at IS NULL OR s.discharged_at > ?)),
       'since', ?)`,
    [since, since, since.getTime()],
  );
}

/**
 * "This resident's facts may have changed": a plain INSERT ... VALUES of the resident's id, written by the owner
 * in the same transaction as the change. It reads nothing and locks nothing but its own new row, so it costs a hot
 * path next to nothing; statistics read the facts themselves when they consume it, on the snapshot that holds the
 * change, and compare them with the facts they counted for the resident last (libs/stats/README.md).
 */
export function residentChangeStatement(source: StatsChangeSource, residentId: string): SqlStatement {
  return stmt(
    'INSERT INTO stats_changes (region_code, month, source, recompute, beds_in_service, nursing_beds, resident_id) VALUES (NULL, NULL, ?, 0, 0, 0, ?)',
    [source, residentId],
  );
}

/** Where residents' facts start: the first instant of the county month before `now`'s (so they cover it and this one). */
export function residentFactsSince(now: Date): Date {
  const offset = 8 * 3600_000;
  const local = new Date(now.getTime() + offset);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1) - offset);
}

/**
 * The statistics statements around a change to a resident's facts, for one batch: nothing before the change
 * (statistics no longer need the facts as they were: they kept the ones they counted), the resident's
 * {@link residentChangeStatement} after it. The shape (before / after) lets the owners place it in their batches
 * without knowing which side has work.
 */
export function residentFactsAround(
  source: StatsChangeSource,
  residentId: string,
): { readonly before: readonly SqlStatement[]; readonly after: SqlStatement } {
  return { before: [], after: residentChangeStatement(source, residentId) };
}
