import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_TRAVEL_MODEL, isInServiceCircle, type AreaKind, type GeoPoint } from '@care/core';

import { INSTITUTION_TYPES } from './rules/bed-counts';
import type { CoverageCounts } from './rules/indicators';
import type { StatsPeriod } from './rules/period';

/** The categories that make an elder at home eligible for the monthly visits (domain.md §5). */
export const ELIGIBLE_CATEGORIES = ['destitute', 'economic_hardship'] as const;

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

const INSTITUTIONS = INSTITUTION_TYPES.map((t) => `'${t}'`).join(', ');
const ELIGIBLE = ELIGIBLE_CATEGORIES.map((c) => `'${c}'`).join(', ');

/**
 * Eligible elders at home (params: elderBornOnOrBefore): FROM … WHERE. The categories are joined as a distinct
 * set (an index range on (category, resident_id)) rather than an EXISTS per resident, which MariaDB plans badly.
 */
const ELIGIBLE_AT_HOME = `
  FROM residents r
  JOIN (SELECT DISTINCT resident_id FROM resident_categories WHERE category IN (${ELIGIBLE})) el ON el.resident_id = r.id
  WHERE r.living_arrangement = 'home' AND r.birth_date <= ?`;

/** FROM … WHERE of the stays active at an instant, on beds in service of institutions (params: …, asOf, asOf). */
function activeStays(join = '', where = ''): string {
  return `
  FROM stays s
  JOIN facilities f ON f.id = s.facility_id AND f.type IN (${INSTITUTIONS})
  JOIN beds b ON b.id = s.bed_id AND b.status <> 'closed' ${join}
  WHERE ${where} s.admitted_at <= ? AND (s.discharged_at IS NULL OR s.discharged_at > ?)`;
}

/** "Has an assessment valid at the instant" and "has any assessment by then" (params: asOf, asOf, asOf). */
const ASSESSMENT_FLAGS = `
  SUM(EXISTS (SELECT 1 FROM assessments a WHERE a.resident_id = r.id AND a.assessed_at <= ? AND a.valid_until > ?)) AS valid,
  SUM(EXISTS (SELECT 1 FROM assessments a WHERE a.resident_id = r.id AND a.assessed_at <= ?)) AS assessed`;

/**
 * The SQL behind the coverage indicators: one grouped query per source, a few round trips in all, whatever the
 * number of townships. The service circle is decided in Node with the shared travel-time model (one rule, in
 * @care/core), over a grid of service points so each elder is compared with nearby points only.
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

  /**
   * A cheap token that changes whenever a row the figures depend on is inserted or updated: the newest
   * updated_at of each source table (each an index look-up, see the stats migration).
   */
  async fingerprint(): Promise<string> {
    const tables = [
      'facilities',
      'beds',
      'stays',
      'residents',
      'assessments',
      'care_orders',
      'caregivers',
      'service_points',
    ];
    const rows: Row[] = await this.db.query(
      `SELECT ${tables.map((t) => `(SELECT MAX(updated_at) FROM ${t}) AS ${t}`).join(', ')}`,
    );
    const row = rows[0] ?? {};
    return tables
      .map((t) => {
        const v = row[t];
        return v instanceof Date ? String(v.getTime()) : String(v);
      })
      .join('|');
  }

  /** The counts of every township for the period. Townships without data get zeros. */
  async countsByTownship(period: StatsPeriod, townships: readonly Township[]): Promise<Map<string, TownshipCounts>> {
    const { asOf, elderBornOnOrBefore } = period;
    const [beds, occupied, institutionElders, eligibleBy, comprehensive] = await Promise.all([
      this.db.query(
        `SELECT f.region_code AS region,
                SUM(b.status <> 'closed') AS in_service,
                SUM(b.status <> 'closed' AND b.type = 'nursing') AS nursing
         FROM beds b JOIN facilities f ON f.id = b.facility_id
         WHERE f.type IN (${INSTITUTIONS})
         GROUP BY f.region_code`,
      ) as Promise<Row[]>,
      this.db.query(`SELECT f.region_code AS region, COUNT(*) AS occupied ${activeStays()} GROUP BY f.region_code`, [
        asOf,
        asOf,
      ]) as Promise<Row[]>,
      this.db.query(
        `SELECT f.region_code AS region, COUNT(*) AS n, ${ASSESSMENT_FLAGS}
         ${activeStays('JOIN residents r ON r.id = s.resident_id', 'r.birth_date <= ? AND')}
         GROUP BY f.region_code`,
        [asOf, asOf, asOf, elderBornOnOrBefore, asOf, asOf],
      ) as Promise<Row[]>,
      this.eligibleByTownship(period, townships),
      this.db.query(`SELECT DISTINCT region_code AS region FROM facilities WHERE comprehensive = 1`) as Promise<Row[]>,
    ]);

    const byRegion = (rows: Row[]) => new Map(rows.map((r) => [String(r.region), r]));
    const bedsBy = byRegion(beds);
    const occupiedBy = byRegion(occupied);
    const instBy = byRegion(institutionElders);
    const comprehensiveSet = new Set(comprehensive.map((r) => String(r.region)));
    const out = new Map<string, TownshipCounts>();
    for (const t of townships) {
      const b = bedsBy.get(t.code);
      const inst = instBy.get(t.code);
      const el = eligibleBy.get(t.code);
      const assessable = num(inst?.n) + num(el?.n);
      const valid = num(inst?.valid) + num(el?.valid);
      const assessed = num(inst?.assessed) + num(el?.assessed);
      out.set(t.code, {
        bedsInService: num(b?.in_service),
        nursingBeds: num(b?.nursing),
        occupiedBeds: num(occupiedBy.get(t.code)?.occupied),
        townships: 1,
        townshipsWithComprehensive: comprehensiveSet.has(t.code) ? 1 : 0,
        eligibleElders: num(el?.n),
        eligibleWithThreeVisits: num(el?.visited),
        eligibleInsideServiceCircle: num(el?.inside),
        assessableElders: assessable,
        eldersWithValidAssessment: valid,
        eldersWithExpiredAssessment: assessed - valid,
        // no staff records in the system yet: the indicator is left out (api-contract.md)
        socialWorkers: null,
      });
    }
    return out;
  }

  /**
   * Eligible elders per township: how many, with a valid / any assessment, with 3 completed visits in the month,
   * inside the circle of a service point with an active caregiver. One scan of the eligible elders, streamed
   * (memory does not grow with their number); the circle is decided here with the shared travel-time model
   * (one rule, in @care/core), over a grid of the service points so that each elder meets nearby points only.
   */
  private async eligibleByTownship(
    period: StatsPeriod,
    townships: readonly Township[],
  ): Promise<Map<string, EligibleCounts>> {
    const { asOf, start, elderBornOnOrBefore } = period;
    const points: Row[] = await this.db.query(
      `SELECT sp.lat, sp.lng FROM service_points sp
       WHERE EXISTS (SELECT 1 FROM caregivers c WHERE c.service_point_id = sp.id AND c.active = 1)`,
    );
    const grid = new PointGrid(
      points.map((p) => ({ lat: num(p.lat), lng: num(p.lng) })),
      SERVICE_CIRCLE_REACH_KM,
    );
    const kind = new Map(townships.map((t) => [t.code, t.kind]));
    const out = new Map<string, EligibleCounts>();
    const runner = this.db.createQueryRunner('slave');
    try {
      const stream = await runner.stream(
        `SELECT r.region_code AS region, r.lat, r.lng,
                EXISTS (SELECT 1 FROM assessments a WHERE a.resident_id = r.id AND a.assessed_at <= ? AND a.valid_until > ?) AS valid,
                EXISTS (SELECT 1 FROM assessments a WHERE a.resident_id = r.id AND a.assessed_at <= ?) AS assessed,
                (SELECT COUNT(*) FROM care_orders o
                 WHERE o.resident_id = r.id AND o.status = 'completed' AND o.completed_at >= ? AND o.completed_at <= ?) AS visits
         ${ELIGIBLE_AT_HOME}`,
        [asOf, asOf, asOf, start, asOf, elderBornOnOrBefore],
      );
      for await (const raw of stream) {
        const e = raw as Row;
        const region = String(e.region);
        let c = out.get(region);
        if (!c) {
          c = { n: 0, valid: 0, assessed: 0, visited: 0, inside: 0 };
          out.set(region, c);
        }
        c.n += 1;
        c.valid += num(e.valid) ? 1 : 0;
        c.assessed += num(e.assessed) ? 1 : 0;
        c.visited += num(e.visits) >= 3 ? 1 : 0;
        if (e.lat !== null && e.lng !== null && points.length > 0) {
          const at = { lat: num(e.lat), lng: num(e.lng) };
          const k = kind.get(region) ?? 'rural';
          if (grid.near(at).some((p) => isInServiceCircle(p, at, k))) c.inside += 1;
        }
      }
    } finally {
      await runner.release();
    }
    return out;
  }
}

interface EligibleCounts {
  n: number;
  valid: number;
  assessed: number;
  visited: number;
  inside: number;
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
