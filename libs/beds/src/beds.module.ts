import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FacilitiesModule } from '@care/facilities';
import { ResidentsModule } from '@care/residents';
import { Bed } from './bed.entity';
import { BedsService } from './beds.service';
import { BedsController } from './http/beds.controller';
import { StaysController } from './http/stays.controller';
import { BedOccupancy, Stay } from './stay.entity';
import { StaysService } from './stays.service';

@Module({
  imports: [TypeOrmModule.forFeature([Bed, Stay, BedOccupancy]), FacilitiesModule, ResidentsModule],
  controllers: [BedsController, StaysController],
  providers: [BedsService, StaysService],
  exports: [BedsService, StaysService],
})
export class BedsModule {}
