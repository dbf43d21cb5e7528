import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { CareService } from '../entities/service.entity';

/**
 * How long the catalogue read outside a transaction is reused. The `services` table is reference data: codes and
 * skills never change, and a bureau's change to names, minutes or `active` (made in SQL) is seen within this time.
 */
export const CATALOGUE_CACHE_MS = 30_000;

/** The service catalogue as it stands in the `services` table (the bureau may have changed names and minutes). */
@Injectable()
export class CatalogueService {
  private cached: { rows: readonly CareService[]; until: number } | null = null;

  constructor(@InjectRepository(CareService) private readonly services: Repository<CareService>) {}

  async list(): Promise<CareService[]> {
    return this.services.find({ order: { sortOrder: 'ASC', code: 'ASC' } });
  }

  /**
   * Services by code; only active ones unless `all`. Without `em` the rows come from an in-process copy at most
   * CATALOGUE_CACHE_MS old (every POST /care-orders needs them); with `em` they are read in that transaction.
   */
  async map(options: { all?: boolean; em?: EntityManager } = {}): Promise<Map<string, CareService>> {
    const rows = options.em ? await options.em.getRepository(CareService).find() : await this.allRows();
    return new Map(rows.filter((row) => options.all || row.active).map((row) => [row.code, row]));
  }

  /** Forgets the in-process copy (e.g. after a change to the table in this process). */
  forget(): void {
    this.cached = null;
  }

  private async allRows(): Promise<readonly CareService[]> {
    const now = Date.now();
    if (this.cached && this.cached.until > now) return this.cached.rows;
    const rows = await this.services.find();
    // an empty table is not kept: reference data may be loaded after the process started
    this.cached = rows.length > 0 ? { rows, until: now + CATALOGUE_CACHE_MS } : null;
    return rows;
  }
}
