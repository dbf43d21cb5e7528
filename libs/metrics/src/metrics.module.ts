import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from '@care/auth';
import { DISPATCH_DECISIONS, type DispatchDecisions } from '@care/dispatch';
import { EmergencyDomainModule } from '@care/emergency';
import { DispatcherMetricsServer } from './dispatcher-metrics.server';
import { MetricsAccess } from './metrics-access';
import { MetricsService } from './metrics.service';
import { MetricsAccessGuard } from './http/metrics-access.guard';
import { MetricsController } from './http/metrics.controller';
import { RequestMetricsGuard } from './http/request-metrics.guard';

/**
 * Prometheus metrics. `forApi()`: GET /metrics and request timing; import it BEFORE the domain modules, so that its
 * global guard runs ahead of the auth guard and refused requests are timed too. `forDispatcher()`: the dispatcher's
 * own /metrics server (DISPATCHER_METRICS_PORT) and the observer of dispatch decisions.
 */
@Module({})
export class MetricsModule {
  static forApi(): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      imports: [AuthModule, EmergencyDomainModule],
      controllers: [MetricsController],
      providers: [
        MetricsService,
        MetricsAccess,
        MetricsAccessGuard,
        { provide: APP_GUARD, useClass: RequestMetricsGuard },
      ],
      exports: [MetricsService],
    };
  }

  static forDispatcher(): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      imports: [AuthModule, EmergencyDomainModule],
      providers: [
        MetricsService,
        MetricsAccess,
        DispatcherMetricsServer,
        {
          provide: DISPATCH_DECISIONS,
          inject: [MetricsService],
          useFactory: (metrics: MetricsService): DispatchDecisions => ({
            decided: (job, outcomes, seconds) => metrics.dispatchDecided(job, outcomes, seconds),
          }),
        },
      ],
      exports: [MetricsService, DISPATCH_DECISIONS],
    };
  }
}
