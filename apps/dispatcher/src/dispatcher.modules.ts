import type { Type } from '@nestjs/common';
import { WaitlistJobsModule } from '@care/beds';
import { CareOrdersJobsModule } from '@care/care-orders';
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
