import { Module, type OnModuleInit } from '@nestjs/common';
import { JobWorkerHost } from '@care/core';
import { CareOrdersDomainModule } from '../care-orders-domain.module';
import { CareOrdersService } from '../services/care-orders.service';
import { VisitPlansService } from '../services/visit-plans.service';

/**
 * The dispatcher's side of care orders: the GenerateVisitPlans and PruneIdempotencyKeys handlers. Their schedules
 * (monthly VISIT_PLAN_CRON, hourly) are in the job catalogue (@care/core); the worker host sets them up.
 */
@Module({ imports: [CareOrdersDomainModule] })
export class CareOrdersJobsModule implements OnModuleInit {
  constructor(
    private readonly host: JobWorkerHost,
    private readonly plans: VisitPlansService,
    private readonly orders: CareOrdersService,
  ) {}

  onModuleInit(): void {
    this.host.register('GenerateVisitPlans', (payload) => this.plans.generate(payload.month, payload.regionCode));
    this.host.register('PruneIdempotencyKeys', async () => ({ pruned: await this.orders.pruneIdempotencyKeys() }));
  }
}
