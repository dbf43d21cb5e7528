import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FacilitiesModule } from '@care/facilities';
import { ResidentsModule } from '@care/residents';
import { Bed } from './bed.entity';
import { BedsRepository } from './beds.repository';
import { BedsService } from './beds.service';
import { BedsController } from './http/beds.controller';
import { StaysController } from './http/stays.controller';
import { BedOccupancy, Stay } from './stay.entity';
import { StaysRepository } from './stays.repository';
import { StaysService } from './stays.service';

/**
 * Beds and stays. StaysService requires ADMISSION_POLICY, which the application binds by importing
 * AdmissionPolicyModule (global): this module does not import the waitlist, which imports it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Bed, Stay, BedOccupancy]), FacilitiesModule, ResidentsModule],
  controllers: [BedsController, StaysController],
  providers: [BedsRepository, StaysRepository, BedsService, StaysService],
  exports: [BedsService, StaysService, BedsRepository, StaysRepository],
})
export class BedsModule {}
