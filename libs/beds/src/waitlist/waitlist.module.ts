import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentsModule } from '@care/assessments';
import { FacilitiesModule } from '@care/facilities';
import { ResidentsModule } from '@care/residents';
import { ADMISSION_POLICY } from '../admission-policy';
import { BedsModule } from '../beds.module';
import { AdmissionRules } from './admission-rules';
import { BedRecommendationsService } from './bed-recommendations.service';
import { WaitlistController } from './http/waitlist.controller';
import { MismatchReportService } from './mismatch-report.service';
import { OfferExpirySweep } from './offer-expiry.service';
import { WaitlistEntriesService } from './waitlist-entries.service';
import { WaitlistEntry } from './waitlist-entry.entity';
import { WaitlistOffersService } from './waitlist-offers.service';
import { WaitlistViews } from './waitlist-views';
import { WaitlistRepository } from './waitlist.repository';

/**
 * Waitlist entries, offers of freed beds, their expiry, bed recommendations and the nursing-bed mismatch report.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([WaitlistEntry]),
    BedsModule,
    FacilitiesModule,
    ResidentsModule,
    AssessmentsModule,
  ],
  controllers: [WaitlistController],
  providers: [
    WaitlistRepository,
    WaitlistViews,
    WaitlistEntriesService,
    WaitlistOffersService,
    OfferExpirySweep,
    BedRecommendationsService,
    MismatchReportService,
  ],
  exports: [
    WaitlistEntriesService,
    WaitlistOffersService,
    OfferExpirySweep,
    BedRecommendationsService,
    MismatchReportService,
  ],
})
export class WaitlistModule {}

/**
 * Binds ADMISSION_POLICY (the nursing-bed rule, closing waitlist entries) for the whole application. StaysService
 * requires it: an application composed without this module fails at boot. Global, because BedsModule cannot import
 * it (it needs the assessments library, and the waitlist imports BedsModule); the composing app imports it once.
 */
@Global()
@Module({
  imports: [AssessmentsModule],
  providers: [AdmissionRules, { provide: ADMISSION_POLICY, useExisting: AdmissionRules }],
  exports: [ADMISSION_POLICY, AdmissionRules],
})
export class AdmissionPolicyModule {}
