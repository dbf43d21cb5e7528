import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { facilityScope, type AuthUser, type Page } from '@care/core';

import { bedUtilization, nursingBedShare } from './rules/indicators';

export interface FacilityStatsRow {
  readonly facilityId: string;
  readonly name: string;
  readonly type: string;
  readonly regionCode: string;
  readonly comprehensive: boolean;
  /** Beds in service (not closed), by type. */
  readonly beds: {
    readonly total: number;
    readonly nursing: number;
    readonly ordinary: number;
    readonly closed: number;
  };
  readonly occupied: number;
  readonly nursingShare: number | null;
  readonly utilization: number | null;
  /** Current residents by the level of their latest assessment; `unassessed` without one, `expired` not valid now. */
  readonly residentsByLevel: {
    readonly '0': number;
    readonly '1': number;
    readonly '2': number;
    readonly '3': number;
    readonly '4': number;
    readonly unassessed: number;
  };
  readonly residentsWithExpiredAssessment: number;
}

type Row = Record<string, unknown>;
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** One row per facility: beds by type, occupancy, shares, residents by ability level. Managers see their own. */
@Injectable()
export class FacilityStatsService {
  constructor(private readonly db: DataSource) {}

  async list(
    user: AuthUser,
    query: { regionCode?: string; limit: number; offset: number },
    now = new Date(),
  ): Promise<Page<FacilityStatsRow>> {
    const scope = facilityScope(user);
    if (scope !== null && scope.length === 0) return { items: [], total: 0 };
    const where: string[] = [];
    const params: unknown[] = [];
    if (scope !== null) {
      where.push(`f.id IN (${scope.map(() => '?').join(', ')})`);
      params.push(...scope);
    }
    if (query.regionCode) {
      where.push('f.region_code = ?');
      params.push(query.regionCode);
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }]: { total: string | number }[] = await this.db.query(
      `SELECT COUNT(*) AS total FROM facilities f ${filter}`,
      params,
    );
    const facilities: Row[] = await this.db.query(
      `SELECT f.id, f.name, f.type, f.region_code, f.comprehensive FROM facilities f ${filter}
       ORDER BY f.region_code, f.name, f.id LIMIT ? OFFSET ?`,
      [...params, query.limit, query.offset],
    );
    if (facilities.length === 0) return { items: [], total: Number(total) };
    const ids = facilities.map((f) => String(f.id));
    const marks = ids.map(() => '?').join(', ');
    const [beds, residents]: [Row[], Row[]] = await Promise.all([
      this.db.query(
        `SELECT b.facility_id,
                SUM(b.status <> 'closed') AS total,
                SUM(b.status <> 'closed' AND b.type = 'nursing') AS nursing,
                SUM(b.status <> 'closed' AND b.type = 'ordinary') AS ordinary,
                SUM(b.status = 'closed') AS closed
         FROM beds b WHERE b.facility_id IN (${marks}) GROUP BY b.facility_id`,
        ids,
      ),
      // each current resident with the level and validity of its latest assessment
      this.db.query(
        `SELECT s.facility_id,
                (SELECT a.level FROM assessments a WHERE a.resident_id = s.resident_id AND a.assessed_at <= ?
                 ORDER BY a.assessed_at DESC LIMIT 1) AS level,
                EXISTS (SELECT 1 FROM assessments a WHERE a.resident_id = s.resident_id AND a.assessed_at <= ? AND a.valid_until > ?) AS valid
         FROM stays s JOIN beds b ON b.id = s.bed_id AND b.status <> 'closed'
         WHERE s.facility_id IN (${marks}) AND s.admitted_at <= ? AND (s.discharged_at IS NULL OR s.discharged_at > ?)`,
        [now, now, now, ...ids, now, now],
      ),
    ]);
    const bedsBy = new Map(beds.map((b) => [String(b.facility_id), b]));
    const people = new Map<string, Row[]>();
    for (const r of residents) people.set(String(r.facility_id), [...(people.get(String(r.facility_id)) ?? []), r]);
    const items = facilities.map((f): FacilityStatsRow => {
      const id = String(f.id);
      const b = bedsBy.get(id);
      const here = people.get(id) ?? [];
      const total = num(b?.total);
      const nursing = num(b?.nursing);
      const levels = { '0': 0, '1': 0, '2': 0, '3': 0, '4': 0, unassessed: 0 };
      let expired = 0;
      for (const r of here) {
        if (r.level === null || r.level === undefined) levels.unassessed += 1;
        else levels[String(num(r.level)) as '0' | '1' | '2' | '3' | '4'] += 1;
        if (r.level !== null && r.level !== undefined && !num(r.valid)) expired += 1;
      }
      return {
        facilityId: id,
        name: String(f.name),
        type: String(f.type),
        regionCode: String(f.region_code),
        comprehensive: num(f.comprehensive) === 1,
        beds: { total, nursing, ordinary: num(b?.ordinary), closed: num(b?.closed) },
        occupied: here.length,
        nursingShare: nursingBedShare({ nursingBeds: nursing, bedsInService: total }).value,
        utilization: bedUtilization({ occupiedBeds: Math.min(here.length, total), bedsInService: total }).value,
        residentsByLevel: levels,
        residentsWithExpiredAssessment: expired,
      };
    });
    return { items, total: Number(total) };
  }
}
