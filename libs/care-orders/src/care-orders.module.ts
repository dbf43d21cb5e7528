import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express } from 'express';
import { AuthModule, AuthService } from '@care/auth';
import { JobQueue } from '@care/core';
import { QUEUE_BOARD_PATH, queueBoardAuth, queueBoardRouter } from './board/queue-board';
import { CareOrdersDomainModule } from './care-orders-domain.module';
import { CaregiverLookupModule } from './caregiver-lookup.module';
import { CareOrdersController } from './http/care-orders.controller';
import { CaregiversController } from './http/caregivers.controller';
import { ServicePointsController } from './http/service-points.controller';
import { ServicesController } from './http/services.controller';
import { VisitPlansController } from './http/visit-plans.controller';

/**
 * The api's doorstep-care module: service catalogue, service points, caregivers, care orders, visit plans,
 * CAREGIVER_LOOKUP for POST /users, and the admins' queue dashboard at /admin/queues.
 */
@Module({
  imports: [CareOrdersDomainModule, CaregiverLookupModule, AuthModule],
  controllers: [ServicesController, ServicePointsController, CaregiversController, CareOrdersController, VisitPlansController],
})
export class CareOrdersModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: AuthService,
    private readonly jobs: JobQueue,
  ) {}

  /**
   * Mounts the queue board on the express app, outside the /api/v1 prefix. Nest has registered its routes by
   * now and adds its 404 handler after the init hooks, so the board is reached before it.
   */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter || adapter.getType() !== 'express') return;
    const app = adapter.getInstance<Express>();
    app.use(QUEUE_BOARD_PATH, queueBoardAuth(this.auth), queueBoardRouter(this.jobs));
  }
}
