import { Logger, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { JOB_CATALOGUE, JobQueue, JobWorkerHost } from '@care/core';
import { AlertsService } from '../alerts.service';
import { EmergencyDomainModule } from '../emergency.module';

/** The scheduler of ScanAlerts (upserted at dispatcher start: one, however many dispatchers run). */
export const SCAN_ALERTS_SCHEDULER_ID = 'scan-alerts';
const SCAN_ALERTS_EVERY_MS = 60_000;

/** The dispatcher's side of alerts: raises the due alerts once a minute (and when dispatch wakes it). */
@Module({ imports: [EmergencyDomainModule] })
export class EmergencyJobsModule implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(EmergencyJobsModule.name);

  constructor(
    private readonly host: JobWorkerHost,
    private readonly jobs: JobQueue,
    private readonly alerts: AlertsService,
  ) {}

  onModuleInit(): void {
    this.host.register('ScanAlerts', async ({ trigger }) => {
      const result = await this.alerts.scan();
      if (trigger && result.raised > 0) this.logger.log(`alerts raised on ${String(trigger)}`);
      return result;
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const job = JOB_CATALOGUE.ScanAlerts;
    await this.jobs
      .queue(job.queue)
      .upsertJobScheduler(
        SCAN_ALERTS_SCHEDULER_ID,
        { every: SCAN_ALERTS_EVERY_MS },
        { name: 'ScanAlerts', data: {}, opts: job.options },
      );
  }
}
