import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RegionsModule } from '@care/regions';
import { FacilitiesService } from './facilities.service';
import { Facility } from './facility.entity';
import { FacilitiesController } from './http/facilities.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Facility]), RegionsModule],
  controllers: [FacilitiesController],
  providers: [FacilitiesService],
  exports: [FacilitiesService],
})
export class FacilitiesModule {}
