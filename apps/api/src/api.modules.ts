import type { Type } from '@nestjs/common';
import { AssessmentsModule, LatestAssessmentModule } from '@care/assessments';
import { AuditModule } from '@care/audit';
import { AuthModule } from '@care/auth';
import { AdmissionPolicyModule, BedsModule, WaitlistModule } from '@care/beds';
import { CareOrdersModule, CaregiverLookupModule } from '@care/care-orders';
import { DispatchHttpModule } from '@care/dispatch';
import { EmergencyModule } from '@care/emergency';
import { FacilitiesModule } from '@care/facilities';
import { RegionsModule } from '@care/regions';
import { ResidentsModule } from '@care/residents';
import { StatsModule } from '@care/stats';

/**
 * The domain HTTP modules the api composes, in one list. Each domain library exposes one module
 * and the api only puts them together.
 */
export const API_DOMAIN_MODULES: Type[] = [
  AuditModule,
  AuthModule,
  RegionsModule,
  AssessmentsModule,
  FacilitiesModule,
  ResidentsModule,
  BedsModule,
  WaitlistModule,
  StatsModule,
  CareOrdersModule,
  DispatchHttpModule,
  EmergencyModule,
];

/**
 * The providers that libraries require and leave to the application to bind (global modules, imported once): the
 * residents library's LATEST_ASSESSMENT_PROVIDER, the stays service's ADMISSION_POLICY and auth's CAREGIVER_LOOKUP
 * (whether a caregiver user's caregiverId exists). Without one the api
 * does not start (test/e2e/required-bindings.e2e-spec.ts).
 */
export const API_BINDING_MODULES: Type[] = [LatestAssessmentModule, AdmissionPolicyModule, CaregiverLookupModule];
