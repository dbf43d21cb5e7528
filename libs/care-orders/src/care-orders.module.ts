import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AuthModule, AuthService } from '@care/auth';
import { JobQueue } from '@care/core';
import { QUEUE_BOARD_PATH, queueBoardPlugin } from './board/queue-board';
import { CareOrdersDomainModule } from './care-orders-domain.module';
import { CareOrdersController } from './http/care-orders.controller';
import { CaregiversController } from './http/caregivers.controller';
import { ServicePointsController } from './http/service-points.controller';
import { ServicesController } from './http/services.controller';
import { VisitPlansController } from './http/visit-plans.controller';

/**
 * The api's doorstep-care module: service catalogue, service points, caregivers, care orders, visit plans,
 * and the admins' queue dashboard at /admin/queues. CAREGIVER_LOOKUP (for POST /users) is bound by the app through
 * CaregiverLookupModule, one of its binding modules.
 */
@Module({
  imports: [CareOrdersDomainModule, AuthModule],
  controllers: [
    ServicesController,
    ServicePointsController,
    CaregiversController,
    CareOrdersController,
    VisitPlansController,
  ],
})
export class CareOrdersModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: AuthService,
    private readonly jobs: JobQueue,
  ) {}

  /**
   * Registers the queue board on the Fastify instance, outside the /api/v1 prefix. Fastify loads the plugin at
   * ready(), after Nest's init; the board's routes are its own, so Nest's 404 handler never sees them.
   */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter || adapter.getType() !== 'fastify') return;
    const fastify = adapter.getInstance<FastifyInstance>();
    void fastify.register(queueBoardPlugin(this.auth, this.jobs), { prefix: QUEUE_BOARD_PATH });
  }
}
