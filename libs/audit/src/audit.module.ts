import { Inject, Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule, HttpAdapterHost, Reflector } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { DataSource } from 'typeorm';
import { APP_CONFIG, TransactionRunner, type AppConfig } from '@care/core';
import { AuditEventsService } from './audit-events.service';
import { AuditInterceptor } from './audit.interceptor';
import { AuditRefusals } from './audit-refusals';
import { AuditRouteCheck } from './audit-routes';
import { AuditWriter, OUTCOME_OK, eventFromScope } from './audit-writer';
import { AuditEventsController } from './http/audit-events.controller';

/**
 * The audit trail in the api: the interceptor that opens each audited request's scope, the hook that makes
 * TransactionRunner write a write's event inside its transaction, the batch writer for read events,
 * GET /audit-events, and the start-up check of action names. Import it once, in the api (not the dispatcher: jobs
 * are not requests and leave no events).
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [AuditEventsController],
  providers: [
    AuditWriter,
    AuditEventsService,
    AuditRouteCheck,
    AuditRefusals,
    {
      provide: APP_INTERCEPTOR,
      inject: [Reflector, AuditWriter, DataSource, APP_CONFIG],
      useFactory: (reflector: Reflector, writer: AuditWriter, dataSource: DataSource, config: AppConfig) =>
        new AuditInterceptor(reflector, writer, dataSource, config.audit.reads),
    },
  ],
  exports: [AuditWriter],
})
export class AuditModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    private readonly writer: AuditWriter,
    private readonly refusals: AuditRefusals,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    // refused writes (401/403/429 from the guards) are recorded as their answers go out
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() === 'fastify') this.refusals.attach(adapter.getInstance<FastifyInstance>());
    this.tx.setAuditHook({
      beforeCommit: (em, scope) => this.writer.insert(em, [eventFromScope(scope, OUTCOME_OK)]),
      statementsBeforeCommit: (scope) => this.writer.statements([eventFromScope(scope, OUTCOME_OK)]),
    });
  }

  onModuleDestroy(): void {
    this.tx.setAuditHook(null);
  }
}
