import type { Type } from '@nestjs/common';
import { LatestAssessmentModule } from '@care/assessments';
import { AdmissionPolicyModule, WaitlistJobsModule } from '@care/beds';
import { CareOrdersJobsModule, CaregiverLookupModule } from '@care/care-orders';
import { DispatchModule } from '@care/dispatch';
import { EmergencyJobsModule } from '@care/emergency';
import { StatsJobsModule } from '@care/stats';

/** The domain jobs modules the dispatcher composes; each registers its job handlers on the JobWorkerHost. */
export const DISPATCHER_JOB_MODULES: Type[] = [
  StatsJobsModule,
  DispatchModule,
  CareOrdersJobsModule,
  WaitlistJobsModule,
  EmergencyJobsModule,
];

/** The providers libraries require and the dispatcher binds (as the api does: see API_BINDING_MODULES). */
export const DISPATCHER_BINDING_MODULES: Type[] = [
  LatestAssessmentModule,
  AdmissionPolicyModule,
  CaregiverLookupModule,
];
