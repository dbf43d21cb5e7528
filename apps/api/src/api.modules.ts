import type { Type } from '@nestjs/common';
import { AssessmentsModule } from '@care/assessments';
import { AuditModule } from '@care/audit';
import { AuthModule } from '@care/auth';
import { BedsModule, WaitlistModule } from '@care/beds';
import { CareOrdersModule } from '@care/care-orders';
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
