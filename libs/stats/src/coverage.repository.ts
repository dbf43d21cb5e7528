import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import {
  DEFAULT_TRAVEL_MODEL,
  VISIT_ELIGIBLE_CATEGORIES,
  eligibleAtHomeSql,
  isInServiceCircle,
  type AreaKind,
  type GeoPoint,
} from '@care/core';

import { INSTITUTION_TYPES } from './rules/bed-counts';
import type { CoverageCounts } from './rules/indicators';
import { TownshipTally, type ResidentFacts, type TownshipFigures } from './rules/township-tally';
import type { StatsPeriod } from './rules/period';
import type { InsideCircle } from './rules/resident-contribution';

/** The categories that make an elder at home eligible for the monthly visits (domain.md §5; the rule is @care/core's). */
export const ELIGIBLE_CATEGORIES = VISIT_ELIGIBLE_CATEGORIES;

/** A DataSource or a transaction's QueryRunner. */
type Queryable = Pick<DataSource, 'query'> | QueryRunner;

export interface Township {
  readonly code: string;
  readonly name: string;
  readonly kind: AreaKind;
  readonly parentCode: string | null;
}

/** Counts of one township; `townships` is 1. */
export type TownshipCounts = CoverageCounts;

type Row = Record<string, unknown>;
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
/** A DATETIME read back: mysql2 gives a Date; a computed value may come as text, stored in UTC ('Z' connections). */
function instant(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const text = String(v);
  return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

const INSTITUTIONS = INSTITUTION_TYPES.map((t) => `'${t}'`).join(', ');
const ELIGIBLE = ELIGIBLE_CATEGORIES.map((c) => `'${c}'`).join(', ');

/** The columns of ASSESSMENT_COLUMNS and the birth date, as the tally reads them. */
function residentFacts(row: Row): ResidentFacts {
  return {
    birthDate: String(row.birth),
    hasValidAssessment: num(row.valid) > 0,
    hasAssessment: num(row.assessed) > 0,
    assessmentChangesAt: instant(row.next_change),
  };
}

export type { TownshipFigures } from './rules/township-tally';

/** The service points with an active caregiver, what the service circles are drawn around, on a grid. */
export interface ServiceCircles {
  readonly grid: PointGrid;
  /** SHA-256 of the sorted points: equal signatures, equal circles. */
  readonly signature: string;
}

/** Townships recomputed per round of queries (bounds the rows held at once when many are due). */
const TOWNSHIPS_PER_QUERY = 20;

/**
 * Per resident (institution or at home): has an assessment valid at asOf, has any by then, and the first later
 * instant at which that can change — an assessment starting or running out (params: asOf × 6). Index-only
 * look-ups on (resident_id, assessed_at, valid_until).
 */
const ASSESSMENT_COLUMNS = `
  EXISTS (SELECT 1 FROM assessments a WHERE a.resident_id = r.id AND a.assessed_at <= ? AND a.valid_until > ?) AS valid,
  EXISTS (SELECT 1 FROM assessments a WHERE a.resident_id = r.id AND a.assessed_at <= ?) AS assessed,
  (SELECT MIN(IF(a.assessed_at > ?, a.assessed_at, a.valid_until)) FROM assessments a
   WHERE a.resident_id = r.id AND (a.assessed_at > ? OR a.valid_until > ?)) AS next_change`;

/**
 * The SQL behind the coverage indicators, for every township or for a few. Institution residents and eligible
 * elders at home are streamed (memory does not grow with their number) and counted here, so each count and the
 * instant it next changes by the clock come from one pass. The service circle is decided in Node with the
 * shared travel-time model (one rule, in @care/core), over a grid of the service points.
 */
@Injectable()
export class CoverageRepository {
  constructor(private readonly db: DataSource) {}

  async townships(): Promise<Township[]> {
    const rows: Row[] = await this.db.query(
      `SELECT code, name, kind, parent_code FROM regions WHERE level = 'township' ORDER BY code`,
    );
    return rows.map((r) => ({
      code: String(r.code),
      name: String(r.name),
      kind: r.kind === 'urban' ? 'urban' : 'rural',
      parentCode: r.parent_code === null ? null : String(r.parent_code),
    }));
  }

  /** The database's clock. */
  async now(q: Queryable = this.db): Promise<Date> {
    const [row] = (await q.query('SELECT NOW(3) AS now')) as Row[];
    return instant(row.now) ?? new Date();
  }

  /** The service points with an active caregiver now (one read of the service points). */
  async serviceCircles(q: Queryable = this.db): Promise<ServiceCircles> {
    const rows: Row[] = await q.query(
      `SELECT sp.id, sp.lat, sp.lng FROM service_points sp
       WHERE EXISTS (SELECT 1 FROM caregivers c WHERE c.service_point_id = sp.id AND c.active = 1)
       ORDER BY sp.id`,
    );
    const signature = createHash('sha256')
      .update(rows.map((p) => `${String(p.id)}:${num(p.lat)}:${num(p.lng)}`).join('\n'))
      .digest('hex');
    const points = rows.map((p) => ({ lat: num(p.lat), lng: num(p.lng) }));
    return { grid: new PointGrid(points, SERVICE_CIRCLE_REACH_KM), signature };
  }

  /** Inside a service circle of `circles`, for a place of a township (the same test as the counts'). */
  insideCircle(circles: ServiceCircles, townships: readonly Township[]): InsideCircle {
    const kind = new Map(townships.map((t) => [t.code, t.kind]));
    return (at, township) => circles.grid.near(at).some((p) => isInServiceCircle(p, at, kind.get(township) ?? 'rural'));
  }

  /**
   * The figures of every township in `townships` (or only of those in `only`) for the period, with the service
   * circles of `circles`. Townships without
   * data get zeros. Restricted to a few townships, every query is an index range of those townships. With `q` (a
   * transaction's query runner), every read runs on it, so on the transaction's snapshot (see
   * KeptFiguresRepository.consume); otherwise on the pool, the rows streamed on a connection of their own.
   */
  async countsByTownship(
    period: StatsPeriod,
    townships: readonly Township[],
    circles: ServiceCircles,
    only?: ReadonlySet<string>,
    q?: QueryRunner,
  ): Promise<Map<string, TownshipFigures>> {
    const db: Queryable = q ?? this.db;
    const chosen = only ? townships.filter((t) => only.has(t.code)) : townships;
    const out = new Map(chosen.map((t) => [t.code, new TownshipTally(period)]));
    if (chosen.length === 0) return new Map();
    const codes = chosen.map((t) => t.code);
    const inChosen = (column: string) => (only ? `AND ${column} IN (?)` : '');
    const chosenParams = only ? [codes] : [];
    const { asOf, start } = period;
    const assessmentParams = [asOf, asOf, asOf, asOf, asOf, asOf];
    const { grid } = circles;
    const kind = new Map(chosen.map((t) => [t.code, t.kind]));

    const [beds, comprehensive] = (await Promise.all([
      db.query(
        `SELECT f.region_code AS region,
                SUM(b.status <> 'closed') AS in_service,
                SUM(b.status <> 'closed' AND b.type = 'nursing') AS nursing
         FROM beds b JOIN facilities f ON f.id = b.facility_id
         WHERE f.type IN (${INSTITUTIONS}) ${inChosen('f.region_code')}
         GROUP BY f.region_code`,
        chosenParams,
      ),
      db.query(
        `SELECT DISTINCT region_code AS region FROM facilities WHERE comprehensive = 1 ${inChosen('region_code')}`,
        chosenParams,
      ),
    ])) as Row[][];
    for (const r of beds) out.get(String(r.region))?.beds(num(r.in_service), num(r.nursing));
    for (const r of comprehensive) out.get(String(r.region))?.comprehensive();

    // residents in beds of institutions, counted where the institution is; stays admitted after asOf are read
    // too, for the instant they start to count
    await this.stream(
      q,
      `SELECT f.region_code AS region, DATE_FORMAT(r.birth_date, '%Y-%m-%d') AS birth, s.admitted_at, s.discharged_at,
              ${ASSESSMENT_COLUMNS}
       FROM stays s
       JOIN facilities f ON f.id = s.facility_id AND f.type IN (${INSTITUTIONS})
       JOIN beds b ON b.id = s.bed_id AND b.status <> 'closed'
       JOIN residents r ON r.id = s.resident_id
       WHERE (s.discharged_at IS NULL OR s.discharged_at > ?) ${inChosen('f.region_code')}`,
      [...assessmentParams, asOf, ...chosenParams],
      (row) =>
        out.get(String(row.region))?.institutionStay({
          ...residentFacts(row),
          admittedAt: instant(row.admitted_at) ?? period.asOf,
          dischargedAt: instant(row.discharged_at),
        }),
    );

    const atHome = (row: Row) => {
      const region = String(row.region);
      const tally = out.get(region);
      if (!tally) return;
      const at = row.lat === null || row.lng === null ? null : { lat: num(row.lat), lng: num(row.lng) };
      const k = kind.get(region) ?? 'rural';
      tally.eligibleAtHome({
        ...residentFacts(row),
        completedVisits: num(row.visits),
        insideServiceCircle: at !== null && grid.near(at).some((p) => isInServiceCircle(p, at, k)),
      });
    };
    if (only) {
      for (let i = 0; i < codes.length; i += TOWNSHIPS_PER_QUERY) {
        for (const row of await this.eligibleOf(db, period, codes.slice(i, i + TOWNSHIPS_PER_QUERY))) atHome(row);
      }
    } else {
      // the whole province: one streamed pass, joining the distinct set of eligible ids (an EXISTS per resident is
      // planned badly over every resident) and looking up each elder's assessments and visits (index-only)
      await this.stream(
        q,
        `SELECT r.region_code AS region, DATE_FORMAT(r.birth_date, '%Y-%m-%d') AS birth, r.lat, r.lng, ${ASSESSMENT_COLUMNS},
                (SELECT COUNT(*) FROM care_orders o
                 WHERE o.resident_id = r.id AND o.status = 'completed' AND o.completed_at >= ? AND o.completed_at <= ?) AS visits
         FROM residents r
         JOIN (SELECT DISTINCT resident_id FROM resident_categories WHERE category IN (${ELIGIBLE})) el ON el.resident_id = r.id
         WHERE r.living_arrangement = 'home'`,
        [...assessmentParams, start, asOf],
        atHome,
      );
    }
    return new Map([...out].map(([code, tally]) => [code, tally.figures()]));
  }

  /**
   * The eligible elders at home of a few townships, with what ASSESSMENT_COLUMNS and the visit count give in the
   * province-wide pass. Three queries at once, each an index range of (region_code, living_arrangement, …) joined
   * to its table, instead of dependent subqueries per elder: a township is recomputed in about half the time.
   */
  private async eligibleOf(db: Queryable, period: StatsPeriod, codes: string[]): Promise<Row[]> {
    const { asOf, start } = period;
    const [elders, assessments, visits] = (await Promise.all([
      db.query(
        `SELECT r.id, r.region_code AS region, DATE_FORMAT(r.birth_date, '%Y-%m-%d') AS birth, r.lat, r.lng
         FROM residents r WHERE r.region_code IN (?) AND ${eligibleAtHomeSql('r')}`,
        [codes],
      ),
      db.query(
        `SELECT a.resident_id AS id, MAX(a.assessed_at <= ? AND a.valid_until > ?) AS valid, MAX(a.assessed_at <= ?) AS assessed,
                MIN(CASE WHEN a.assessed_at > ? THEN a.assessed_at WHEN a.valid_until > ? THEN a.valid_until END) AS next_change
         FROM residents r JOIN assessments a ON a.resident_id = r.id
         WHERE r.region_code IN (?) AND r.living_arrangement = 'home' GROUP BY a.resident_id`,
        [asOf, asOf, asOf, asOf, asOf, codes],
      ),
      db.query(
        `SELECT o.resident_id AS id, COUNT(*) AS visits
         FROM residents r JOIN care_orders o ON o.resident_id = r.id
           AND o.status = 'completed' AND o.completed_at >= ? AND o.completed_at <= ?
         WHERE r.region_code IN (?) AND r.living_arrangement = 'home' GROUP BY o.resident_id`,
        [start, asOf, codes],
      ),
    ])) as Row[][];
    const assessmentOf = new Map(assessments.map((a) => [String(a.id), a]));
    const visitsOf = new Map(visits.map((v) => [String(v.id), num(v.visits)]));
    return elders.map((e) => {
      const a = assessmentOf.get(String(e.id));
      return {
        ...e,
        valid: a?.valid ?? 0,
        assessed: a?.assessed ?? 0,
        next_change: a?.next_change ?? null,
        visits: visitsOf.get(String(e.id)) ?? 0,
      };
    });
  }

  /**
   * Streams a query's rows (memory stays flat whatever the number of rows): on `q` when given (its transaction),
   * else on a connection of its own.
   */
  private async stream(
    q: QueryRunner | undefined,
    sql: string,
    params: unknown[],
    onRow: (row: Row) => void,
  ): Promise<void> {
    const runner = q ?? this.db.createQueryRunner('slave');
    try {
      const rows = await runner.stream(sql, params);
      for await (const row of rows) onRow(row as Row);
    } finally {
      if (!q) await runner.release();
    }
  }
}

/** The widest service circle of the model in straight-line km (30 min at 30 km/h ÷ 1.3 detour ≈ 11.5), plus a margin. */
const SERVICE_CIRCLE_REACH_KM =
  Math.max(
    DEFAULT_TRAVEL_MODEL.urbanServiceCircleMinutes * DEFAULT_TRAVEL_MODEL.urbanSpeedKmh,
    DEFAULT_TRAVEL_MODEL.ruralServiceCircleMinutes * DEFAULT_TRAVEL_MODEL.ruralSpeedKmh,
  ) /
    60 /
    DEFAULT_TRAVEL_MODEL.detourFactor +
  1;

/** Service points bucketed by 0.1° cells; `near` returns the points of the cells within `reachKm` of a place. */
export class PointGrid {
  private readonly cells = new Map<string, GeoPoint[]>();
  private static readonly CELL = 0.1;

  constructor(
    points: readonly GeoPoint[],
    private readonly reachKm: number,
  ) {
    for (const p of points) {
      const key = this.key(Math.floor(p.lat / PointGrid.CELL), Math.floor(p.lng / PointGrid.CELL));
      const cell = this.cells.get(key);
      if (cell) cell.push(p);
      else this.cells.set(key, [p]);
    }
  }

  private key(i: number, j: number): string {
    return `${i}:${j}`;
  }

  near(at: GeoPoint): GeoPoint[] {
    const dLat = this.reachKm / 111.0;
    const dLng = this.reachKm / (111.0 * Math.max(0.05, Math.cos((at.lat * Math.PI) / 180)));
    const i0 = Math.floor((at.lat - dLat) / PointGrid.CELL);
    const i1 = Math.floor((at.lat + dLat) / PointGrid.CELL);
    const j0 = Math.floor((at.lng - dLng) / PointGrid.CELL);
    const j1 = Math.floor((at.lng + dLng) / PointGrid.CELL);
    const out: GeoPoint[] = [];
    for (let i = i0; i <= i1; i++) {
      for (let j = j0; j <= j1; j++) {
        const cell = this.cells.get(this.key(i, j));
        if (cell) out.push(...cell);
      }
    }
    return out;
  }
}
