import { Inject, Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DiscoveryModule, HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG, TransactionRunner, type AppConfig } from '@care/core';
import { AuditEventsService } from './audit-events.service';
import { AuditHooks } from './audit-hooks';
import { AuditRouteCheck } from './audit-routes';
import { AuditWriter, OUTCOME_OK, eventFromScope } from './audit-writer';
import { AuditEventsController } from './http/audit-events.controller';

/**
 * The audit trail in the api: the Fastify hooks that open each audited request's scope and close it with its event
 * (AuditHooks), the hook that makes TransactionRunner write a write's event inside its transaction, the batch writer
 * for read events, GET /audit-events, and the start-up check of action names. Import it once, in the api (not the
 * dispatcher: jobs are not requests and leave no events).
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [AuditEventsController],
  providers: [AuditWriter, AuditEventsService, AuditRouteCheck, AuditHooks],
  exports: [AuditWriter],
})
export class AuditModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    private readonly writer: AuditWriter,
    private readonly hooks: AuditHooks,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // every audited request, refused ones included (Nest's guards run inside the route, after the scope opens)
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() === 'fastify') {
      this.hooks.attach(adapter.getInstance<FastifyInstance>(), { reads: this.config.audit.reads });
    }
    this.tx.setAuditHook({
      beforeCommit: (em, scope) => this.writer.insert(em, [eventFromScope(scope, OUTCOME_OK)]),
      statementsBeforeCommit: (scope) => this.writer.statements([eventFromScope(scope, OUTCOME_OK)]),
    });
  }

  onModuleDestroy(): void {
    this.tx.setAuditHook(null);
  }
}
