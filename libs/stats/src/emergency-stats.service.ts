import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InvalidInputError } from '@care/core';
import { emergencyFigures, type CallFacts, type EmergencyFigures } from './rules/emergency-figures';
import { countyMonth, statsPeriod } from './rules/period';

export interface EmergencyStatsReport {
  month: string;
  county: EmergencyFigures;
  byRegion: ({ regionCode: string; name: string } & EmergencyFigures)[];
}

/** GET /stats/emergency-calls: the month's emergency calls per township (figures of rules/emergency-figures.ts). */
@Injectable()
export class EmergencyStatsService {
  constructor(private readonly db: DataSource) {}

  async report(query: { month?: string; regionCode?: string }): Promise<EmergencyStatsReport> {
    const month = query.month ?? countyMonth(new Date());
    let period;
    try {
      period = statsPeriod(month, new Date());
    } catch (error) {
      throw new InvalidInputError(`month: ${(error as Error).message}`);
    }
    const params: unknown[] = [period.start, period.end];
    let region = '';
    if (query.regionCode) {
      region = ' AND (c.region_code = ? OR g.parent_code = ?)';
      params.push(query.regionCode, query.regionCode);
    }
    const rows: {
      region_code: string;
      name: string | null;
      received_at: Date;
      checked_in_at: Date | null;
      outcome: string | null;
    }[] = await this.db.query(
      `SELECT c.region_code, g.name, c.received_at, v.checked_in_at, c.outcome
           FROM emergency_calls c
           LEFT JOIN care_visits v ON v.order_id = c.order_id
           LEFT JOIN regions g ON g.code = c.region_code
          WHERE c.received_at >= ? AND c.received_at < ?${region}`,
      params,
    );
    const facts = (r: (typeof rows)[number]): CallFacts => ({
      receivedAt: new Date(r.received_at).getTime(),
      arrivedAt: r.checked_in_at === null ? null : new Date(r.checked_in_at).getTime(),
      outcome: r.outcome,
    });
    const byCode = new Map<string, { name: string; calls: CallFacts[] }>();
    for (const r of rows) {
      const entry = byCode.get(r.region_code) ?? { name: r.name ?? r.region_code, calls: [] };
      entry.calls.push(facts(r));
      byCode.set(r.region_code, entry);
    }
    return {
      month,
      county: emergencyFigures(rows.map(facts)),
      byRegion: [...byCode.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([regionCode, { name, calls }]) => ({ regionCode, name, ...emergencyFigures(calls) })),
    };
  }
}
