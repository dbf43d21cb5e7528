import { Inject, Logger, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, COUNTY_TIME_ZONE, JOB_CATALOGUE, JobQueue, JobWorkerHost, type AppConfig } from '@care/core';
import { CareOrdersDomainModule } from '../care-orders-domain.module';
import { PRUNE_IDEMPOTENCY_KEYS_SCHEDULER_ID, VISIT_PLAN_SCHEDULER_ID } from '../rules/jobs';
import { CURRENT_MONTH } from '../rules/visit-plan';
import { CareOrdersService } from '../services/care-orders.service';
import { VisitPlansService } from '../services/visit-plans.service';

/** Idempotency-Keys past their lifetime are deleted every hour, at minute 17. */
const PRUNE_IDEMPOTENCY_KEYS_CRON = '0 17 * * * *';

/**
 * The dispatcher's side of care orders: the GenerateVisitPlans and PruneIdempotencyKeys handlers, and the job
 * schedulers that trigger them (upserted at start, so any number of dispatcher processes keep exactly one each).
 */
@Module({ imports: [CareOrdersDomainModule] })
export class CareOrdersJobsModule implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(CareOrdersJobsModule.name);

  constructor(
    private readonly host: JobWorkerHost,
    private readonly jobs: JobQueue,
    private readonly plans: VisitPlansService,
    private readonly orders: CareOrdersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.host.register('GenerateVisitPlans', (payload) => this.plans.generate(payload.month, payload.regionCode));
    this.host.register('PruneIdempotencyKeys', async () => ({ pruned: await this.orders.pruneIdempotencyKeys() }));
  }

  async onApplicationBootstrap(): Promise<void> {
    const prune = JOB_CATALOGUE.PruneIdempotencyKeys;
    await this.jobs
      .queue(prune.queue)
      .upsertJobScheduler(
        PRUNE_IDEMPOTENCY_KEYS_SCHEDULER_ID,
        { pattern: PRUNE_IDEMPOTENCY_KEYS_CRON, tz: COUNTY_TIME_ZONE },
        { name: 'PruneIdempotencyKeys', data: {}, opts: prune.options },
      );
    const queue = this.jobs.queue(JOB_CATALOGUE.GenerateVisitPlans.queue);
    const cron = this.config.visitPlans.cron;
    if (!cron) {
      await queue.removeJobScheduler(VISIT_PLAN_SCHEDULER_ID);
      return;
    }
    const { attempts, backoff, removeOnComplete, removeOnFail } = JOB_CATALOGUE.GenerateVisitPlans.options;
    await queue.upsertJobScheduler(
      VISIT_PLAN_SCHEDULER_ID,
      { pattern: cron, tz: COUNTY_TIME_ZONE },
      {
        name: 'GenerateVisitPlans',
        data: { month: CURRENT_MONTH },
        opts: { attempts, backoff, removeOnComplete, removeOnFail },
      },
    );
    this.logger.log(`visit plans scheduled: "${cron}" (${COUNTY_TIME_ZONE})`);
  }
}
