import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentsModule } from '@care/assessments';
import { FacilitiesModule } from '@care/facilities';
import { ResidentsModule } from '@care/residents';
import { ADMISSION_POLICY } from '../admission-policy';
import { AdmissionRules } from './admission-rules';
import { WaitlistController } from './http/waitlist.controller';
import { WaitlistEntry } from './waitlist-entry.entity';
import { WaitlistService } from './waitlist.service';

/**
 * Waitlist, offers of freed beds, bed recommendations, the nursing-bed mismatch report, and the admission policy
 * (nursing-bed rule, closing waitlist entries) that the stays service applies.
 */
@Module({
  imports: [TypeOrmModule.forFeature([WaitlistEntry]), FacilitiesModule, ResidentsModule, AssessmentsModule],
  controllers: [WaitlistController],
  providers: [WaitlistService, AdmissionRules, { provide: ADMISSION_POLICY, useExisting: AdmissionRules }],
  exports: [WaitlistService, AdmissionRules],
})
export class WaitlistModule {}
