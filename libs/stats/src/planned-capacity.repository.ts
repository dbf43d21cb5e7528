import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Capacity of the plan that is not in service (a planned home, or the extension of an operating one): the bureau's
 * next steps count it. Not facilities with closed beds — a closed bed is a real bed out of service.
 */
export interface PlannedCapacity {
  readonly name: string;
  readonly regionCode: string;
  readonly facilityType: string;
  /** The operating facility an extension belongs to; null for a planned home. */
  readonly facilityId: string | null;
  readonly plannedBeds: number;
  readonly plannedComprehensive: boolean;
  /** Where the figure comes from (the plan's text), cut to the column's 255 characters. */
  readonly source: string;
}

/** Rows per multi-row INSERT (well under max_allowed_packet and the placeholder limit). */
const ROWS_PER_INSERT = 500;

/** The writer of `stats_planned_capacity` (the plan's figures: loaded with the demo county, or by the bureau). */
@Injectable()
export class PlannedCapacityRepository {
  constructor(private readonly db: DataSource) {}

  /** Adds the records in multi-row INSERTs, one transaction; returns how many. */
  async insertMany(records: readonly PlannedCapacity[]): Promise<number> {
    if (records.length === 0) return 0;
    await this.db.transaction(async (em) => {
      for (let i = 0; i < records.length; i += ROWS_PER_INSERT) {
        const part = records.slice(i, i + ROWS_PER_INSERT);
        await em.query(
          `INSERT INTO stats_planned_capacity
             (id, name, region_code, facility_type, facility_id, planned_beds, planned_comprehensive, source)
           VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          part.flatMap((r) => [
            randomUUID(),
            r.name,
            r.regionCode,
            r.facilityType,
            r.facilityId,
            r.plannedBeds,
            r.plannedComprehensive ? 1 : 0,
            r.source.slice(0, 255),
          ]),
        );
      }
    });
    return records.length;
  }
}
