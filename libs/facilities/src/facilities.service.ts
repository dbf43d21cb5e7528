import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import {
  AuthUser,
  InvalidInputError,
  NotFoundError,
  Page,
  TransactionRunner,
  assertFacilityAccess,
  facilityScope,
} from '@care/core';
import { writeStatsChanges } from '@care/stats/outbox';
import { RegionsService } from '@care/regions';
import type { CreateFacilityDto, ListFacilitiesQueryDto, UpdateFacilityDto } from './dto/facility.dto';
import { Facility } from './facility.entity';

/** Roles that may read facilities county-wide (a manager reads only its own; a caregiver none). */
const READS_ALL: ReadonlySet<string> = new Set(['admin', 'bureau', 'dispatcher']);

@Injectable()
export class FacilitiesService {
  constructor(
    @InjectRepository(Facility) private readonly facilities: Repository<Facility>,
    private readonly regions: RegionsService,
    private readonly tx: TransactionRunner,
  ) {}

  async create(dto: CreateFacilityDto): Promise<Facility> {
    await this.assertTownship(dto.regionCode);
    const facility = this.facilities.create({
      name: dto.name.trim(),
      type: dto.type,
      regionCode: dto.regionCode,
      address: dto.address ?? null,
      lat: dto.lat,
      lng: dto.lng,
      ownership: dto.ownership,
      comprehensive: dto.comprehensive,
    });
    const saved = await this.tx.run(async (em) => {
      const row = await em.save(facility);
      // statistics: a comprehensive institution counts in its township's figures
      await writeStatsChanges(em, [{ source: 'facilities', regionCode: dto.regionCode, recompute: true }]);
      return row;
    });
    // read back: the values TypeORM merges into the saved entity after an insert skip the boolean transformer
    return this.facilities.findOneByOrFail({ id: saved.id });
  }

  async list(user: AuthUser, query: ListFacilitiesQueryDto): Promise<Page<Facility>> {
    const qb = this.facilities.createQueryBuilder('f');
    if (!READS_ALL.has(user.role)) {
      const scope = facilityScope(user) ?? [];
      if (scope.length === 0) return { items: [], total: 0 };
      qb.andWhere('f.id IN (:...scope)', { scope });
    }
    if (query.regionCode) qb.andWhere('f.regionCode = :regionCode', { regionCode: query.regionCode });
    if (query.type) qb.andWhere('f.type = :type', { type: query.type });
    const [items, total] = await qb
      .orderBy('f.regionCode', 'ASC')
      .addOrderBy('f.name', 'ASC')
      .addOrderBy('f.id', 'ASC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    return { items, total };
  }

  /** A facility the user may read: 404 when it does not exist or lies outside a manager's facilities. */
  async getVisible(user: AuthUser, id: string): Promise<Facility> {
    if (!READS_ALL.has(user.role)) assertFacilityAccess(user, id);
    const facility = await this.facilities.findOneBy({ id });
    if (!facility) throw new NotFoundError('Facility', id);
    return facility;
  }

  async update(id: string, dto: UpdateFacilityDto): Promise<Facility> {
    const facility = await this.facilities.findOneBy({ id });
    if (!facility) throw new NotFoundError('Facility', id);
    const before = `${facility.type}|${facility.regionCode}|${String(facility.comprehensive)}`;
    if (dto.regionCode !== undefined && dto.regionCode !== facility.regionCode)
      await this.assertTownship(dto.regionCode);
    if (dto.name !== undefined) facility.name = dto.name.trim();
    if (dto.type !== undefined) facility.type = dto.type;
    if (dto.regionCode !== undefined) facility.regionCode = dto.regionCode;
    if (dto.address !== undefined) facility.address = dto.address;
    if (dto.lat !== undefined) facility.lat = dto.lat;
    if (dto.lng !== undefined) facility.lng = dto.lng;
    if (dto.ownership !== undefined) facility.ownership = dto.ownership;
    if (dto.comprehensive !== undefined) facility.comprehensive = dto.comprehensive;
    const counted = (f: Pick<Facility, 'type' | 'regionCode' | 'comprehensive'>) =>
      `${f.type}|${f.regionCode}|${String(f.comprehensive)}`;
    await this.tx.run(async (em) => {
      await em.save(facility);
      // statistics: a facility that changed type or township moves all its beds and stays: every township is
      // counted again; its comprehensive flag moves its township's figure
      if (counted(facility) !== before)
        await writeStatsChanges(em, [{ source: 'facilities', regionCode: null, recompute: true }]);
    });
    return this.facilities.findOneByOrFail({ id });
  }

  /**
   * For other libraries (beds, stays, waitlist): the facility, when the user's role may act on facilities'
   * contents and the facility is one of theirs. A manager outside its facilities and an unknown id both get
   * 404; roles that reach no facility (dispatcher, caregiver) get 403. Pass `em` inside a transaction.
   */
  async assertAccessible(user: AuthUser, facilityId: string, em?: EntityManager): Promise<Facility> {
    assertFacilityAccess(user, facilityId);
    const facility = await (em ? em.getRepository(Facility) : this.facilities).findOneBy({ id: facilityId });
    if (!facility) throw new NotFoundError('Facility', facilityId);
    return facility;
  }

  /** Whether a facility exists (no access check). */
  async exists(facilityId: string, em?: EntityManager): Promise<boolean> {
    const repo = em ? em.getRepository(Facility) : this.facilities;
    return (await repo.countBy({ id: facilityId })) > 0;
  }

  private async assertTownship(code: string): Promise<void> {
    const region = await this.regions.assertKnown(code, 'regionCode');
    if (region.level !== 'township')
      throw new InvalidInputError(`regionCode: "${code}" is not a township of the county`);
  }
}
