import { Global, Injectable, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { CAREGIVER_LOOKUP, type CaregiverLookup } from '@care/auth';
import { Caregiver } from './entities/caregiver.entity';

/** Lets POST /users check a caregiver user's caregiverId without auth depending on this library. */
@Injectable()
export class CaregiverDirectory implements CaregiverLookup {
  constructor(@InjectRepository(Caregiver) private readonly caregivers: Repository<Caregiver>) {}

  async exists(caregiverId: string): Promise<boolean> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(caregiverId)) return false;
    return (await this.caregivers.countBy({ id: caregiverId })) > 0;
  }
}

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Caregiver])],
  providers: [{ provide: CAREGIVER_LOOKUP, useClass: CaregiverDirectory }],
  exports: [CAREGIVER_LOOKUP],
})
export class CaregiverLookupModule {}
