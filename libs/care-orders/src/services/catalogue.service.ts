import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { CareService } from '../entities/service.entity';

/** The service catalogue as it stands in the `services` table (the bureau may have changed names and minutes). */
@Injectable()
export class CatalogueService {
  constructor(@InjectRepository(CareService) private readonly services: Repository<CareService>) {}

  async list(): Promise<CareService[]> {
    return this.services.find({ order: { sortOrder: 'ASC', code: 'ASC' } });
  }

  /** Services by code; only active ones unless `all`. */
  async map(options: { all?: boolean; em?: EntityManager } = {}): Promise<Map<string, CareService>> {
    const repo = options.em ? options.em.getRepository(CareService) : this.services;
    const rows = await repo.find(options.all ? {} : { where: { active: true } });
    return new Map(rows.map((row) => [row.code, row]));
  }
}
