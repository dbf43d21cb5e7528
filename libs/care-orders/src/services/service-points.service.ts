import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { NotFoundError, type Page } from '@care/core';
import { iso, placeholders } from './time-views';
import { RegionsService } from '@care/regions';
import type { CreateServicePointDto, ListServicePointsQueryDto } from '../dto/service-point.dto';
import { ServicePoint } from '../entities/service-point.entity';

export interface ServicePointView {
  id: string;
  name: string;
  regionCode: string;
  lat: number;
  lng: number;
  activeCaregivers?: number;
  createdAt: string;
}

/** A service point to add, with the id its caller gave it. */
export interface NewServicePoint {
  readonly id: string;
  readonly name: string;
  readonly regionCode: string;
  readonly lat: number;
  readonly lng: number;
}

/** Rows per multi-row INSERT (well under max_allowed_packet and the placeholder limit). */
const ROWS_PER_INSERT = 500;

@Injectable()
export class ServicePointsService {
  constructor(
    @InjectRepository(ServicePoint) private readonly points: Repository<ServicePoint>,
    private readonly regions: RegionsService,
  ) {}

  async create(dto: CreateServicePointDto): Promise<ServicePointView> {
    await this.regions.assertKnown(dto.regionCode);
    const saved = await this.points.save(
      this.points.create({ name: dto.name, regionCode: dto.regionCode, lat: dto.lat, lng: dto.lng }),
    );
    return this.view(await this.get(saved.id), 0);
  }

  /**
   * Many points at once (the demo county's 315), with ids the caller chose, as multi-row INSERTs in one
   * transaction. Regions are the caller's to know (the foreign key refuses an unknown one). A point without a
   * caregiver moves no figure: no statistics change.
   */
  async insertMany(points: readonly NewServicePoint[]): Promise<number> {
    if (points.length === 0) return 0;
    await this.points.manager.transaction(async (em) => {
      for (let i = 0; i < points.length; i += ROWS_PER_INSERT) {
        const part = points.slice(i, i + ROWS_PER_INSERT);
        await em.query(
          `INSERT INTO service_points (id, name, region_code, lat, lng) VALUES ${part.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
          part.flatMap((p) => [p.id, p.name, p.regionCode, p.lat, p.lng]),
        );
      }
    });
    return points.length;
  }

  async list(query: ListServicePointsQueryDto): Promise<Page<ServicePointView>> {
    const qb = this.points
      .createQueryBuilder('p')
      .orderBy('p.region_code', 'ASC')
      .addOrderBy('p.name', 'ASC')
      .addOrderBy('p.id', 'ASC');
    if (query.regionCode) qb.andWhere('p.region_code = :regionCode', { regionCode: query.regionCode });
    const [items, total] = await qb.skip(query.offset).take(query.limit).getManyAndCount();
    const counts = await this.activeCaregiverCounts(items.map((p) => p.id));
    return { items: items.map((p) => this.view(p, counts.get(p.id) ?? 0)), total };
  }

  async get(id: string): Promise<ServicePoint> {
    const point = await this.points.findOneBy({ id });
    if (!point) throw new NotFoundError('Service point', id);
    return point;
  }

  async getView(id: string): Promise<ServicePointView> {
    const point = await this.get(id);
    return this.view(point, (await this.activeCaregiverCounts([id])).get(id) ?? 0);
  }

  private async activeCaregiverCounts(ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; n: string }[] = await this.points.query(
      `SELECT service_point_id AS id, COUNT(*) AS n FROM caregivers WHERE active = 1 AND service_point_id IN (${placeholders(ids)}) GROUP BY service_point_id`,
      ids,
    );
    return new Map(rows.map((row) => [row.id, Number(row.n)]));
  }

  private view(point: ServicePoint, activeCaregivers: number): ServicePointView {
    return {
      id: point.id,
      name: point.name,
      regionCode: point.regionCode,
      lat: point.lat,
      lng: point.lng,
      activeCaregivers,
      createdAt: iso(point.createdAt),
    };
  }
}
