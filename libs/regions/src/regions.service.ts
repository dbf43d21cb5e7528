import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { InvalidInputError, NotFoundError, Page } from '@care/core';
import { Region } from './region.entity';

/** Where a township is drawn and measured from. */
export interface TownshipPosition {
  readonly code: string;
  readonly lat: number;
  readonly lng: number;
  readonly coordinatesGenerated: boolean;
}

@Injectable()
export class RegionsService {
  constructor(@InjectRepository(Region) private readonly regions: Repository<Region>) {}

  async list(): Promise<Page<Region>> {
    const items = await this.regions.find({ order: { code: 'ASC' } });
    return { items, total: items.length };
  }

  async get(code: string): Promise<Region> {
    const region = await this.regions.findOneBy({ code });
    if (!region) throw new NotFoundError('Region', code);
    return region;
  }

  /** For inputs that name a region: an unknown code is bad input (400), not a missing resource. */
  async assertKnown(code: string, field = 'regionCode'): Promise<Region> {
    const region = await this.regions.findOneBy({ code });
    if (!region) throw new InvalidInputError(`${field}: unknown region code "${code}"`);
    return region;
  }

  /**
   * Township positions for maps and the travel model (township coordinates are not published: generated ones say
   * so). One transaction; a code that names no region is bad input and nothing is written.
   */
  async setPositions(positions: readonly TownshipPosition[]): Promise<void> {
    if (positions.length === 0) return;
    const known = new Set(
      (await this.regions.findBy({ code: In(positions.map((p) => p.code)) })).map((region) => region.code),
    );
    const unknown = positions.filter((p) => !known.has(p.code)).map((p) => p.code);
    if (unknown.length > 0) throw new InvalidInputError(`code: unknown region codes ${unknown.join(', ')}`);
    await this.regions.manager.transaction(async (em) => {
      for (const p of positions) {
        await em.query('UPDATE regions SET lat = ?, lng = ?, coordinates_generated = ? WHERE code = ?', [
          p.lat,
          p.lng,
          p.coordinatesGenerated ? 1 : 0,
          p.code,
        ]);
      }
    });
  }
}
