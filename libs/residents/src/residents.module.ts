import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FacilitiesModule } from '@care/facilities';
import { RegionsModule } from '@care/regions';
import { ResidentsController } from './http/residents.controller';
import { Resident, ResidentCategoryRow, ResidentFacilityLink } from './resident.entity';
import { ResidentsService } from './residents.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Resident, ResidentCategoryRow, ResidentFacilityLink]),
    RegionsModule,
    FacilitiesModule,
  ],
  controllers: [ResidentsController],
  providers: [ResidentsService],
  exports: [ResidentsService],
})
export class ResidentsModule {}
