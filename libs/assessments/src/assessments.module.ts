import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ResidentsModule } from '@care/residents';
import { Assessment } from './assessment.entity';
import { AssessmentsService } from './assessments.service';
import { LatestAssessments } from './latest-assessments';
import { AssessmentsController } from './http/assessments.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Assessment]), ResidentsModule],
  controllers: [AssessmentsController],
  providers: [AssessmentsService, LatestAssessments],
  exports: [AssessmentsService],
})
export class AssessmentsModule {}
