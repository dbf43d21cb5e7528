import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { JobWorkerHost } from '@care/core';
import { AlertsService } from '../alerts.service';
import { EmergencyDomainModule } from '../emergency.module';

/**
 * The dispatcher's side of alerts: raises the due alerts once a minute (the job catalogue's schedule) and when
 * dispatch wakes it.
 */
@Module({ imports: [EmergencyDomainModule] })
export class EmergencyJobsModule implements OnModuleInit {
  private readonly logger = new Logger(EmergencyJobsModule.name);

  constructor(
    private readonly host: JobWorkerHost,
    private readonly alerts: AlertsService,
  ) {}

  onModuleInit(): void {
    this.host.register('ScanAlerts', async ({ trigger }) => {
      const result = await this.alerts.scan();
      if (trigger && result.raised > 0) this.logger.log(`alerts raised on ${String(trigger)}`);
      return result;
    });
  }
}
