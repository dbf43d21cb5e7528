import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { InvalidInputError, NotFoundError, Page } from '@care/core';
import { Region } from './region.entity';

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
}
