import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditScope } from '@care/core';

/** One row of audit_events as the writer receives it. */
export interface AuditEventRecord {
  id: string;
  at: Date;
  actorId: string | null;
  actorUsername: string | null;
  role: string | null;
  action: string;
  entity: string | null;
  entityIds: string[];
  residentIds: string[];
  requestId: string | null;
  ip: string | null;
  outcome: string;
}

export const OUTCOME_OK = 'ok';

/** Batching of read events: flushed every `flushMs` or when `maxBatch` are waiting; at most `maxBuffered` kept. */
export interface AuditBufferOptions {
  flushMs: number;
  maxBatch: number;
  maxBuffered: number;
}
export const AUDIT_BUFFER_OPTIONS = Symbol('AUDIT_BUFFER_OPTIONS');
const DEFAULT_BUFFER: AuditBufferOptions = { flushMs: 200, maxBatch: 500, maxBuffered: 20000 };

/** Child rows per INSERT statement (3 placeholders each), well under max_allowed_packet and the placeholder limit. */
const CHILD_ROWS_PER_STATEMENT = 2000;

/** Only id-shaped values reach the trail (a query parameter is whatever a client typed). */
const ID_SHAPE = /^[0-9A-Za-z-]{1,36}$/;
const idsOnly = (values: string[]): string[] => values.filter((v) => ID_SHAPE.test(v));

export function eventFromScope(scope: AuditScope, outcome: string, at = new Date()): AuditEventRecord {
  return {
    id: randomUUID(),
    at,
    actorId: scope.actor.id,
    actorUsername: scope.actor.username,
    role: scope.actor.role,
    action: scope.action,
    // what a service noted, else the action's first part (residents.get → residents)
    entity: (scope.entity ?? scope.action.split('.')[0]).slice(0, 40),
    entityIds: idsOnly(scope.entityIds),
    residentIds: idsOnly(scope.residentIds),
    requestId: scope.requestId,
    ip: scope.ip,
    outcome: outcome.slice(0, 40),
  };
}

type Queryable = Pick<EntityManager, 'query'> | Pick<DataSource, 'query'>;

/**
 * Writes audit events. Write events go in with the write's transaction (`insert(em, ...)`) or, for a failed write,
 * on their own right away; read events are buffered and written in batches (one multi-row INSERT per table) so the
 * read path pays only an array push. A failed batch is logged and dropped: auditing never fails a read.
 */
@Injectable()
export class AuditWriter implements OnModuleDestroy {
  private readonly logger = new Logger('Audit');
  private readonly options: AuditBufferOptions;
  private buffer: AuditEventRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private dropped = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(AUDIT_BUFFER_OPTIONS) options?: Partial<AuditBufferOptions>,
  ) {
    this.options = { ...DEFAULT_BUFFER, ...options };
  }

  /** Inserts events through `db` (an EntityManager inside a transaction, or the DataSource). */
  async insert(db: Queryable, events: AuditEventRecord[]): Promise<void> {
    for (const statement of this.statements(events)) await db.query(statement.sql, [...statement.params]);
  }

  /** The INSERTs that write these events (one for the events, one per chunk of their residents), not yet sent. */
  statements(events: AuditEventRecord[]): { sql: string; params: unknown[] }[] {
    if (events.length === 0) return [];
    const out = [
      {
        sql: `INSERT INTO audit_events (id, at, actor_id, actor_username, role, action, entity, entity_ids, resident_ids,
         request_id, ip, outcome) VALUES ${events.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        params: events.flatMap((e) => [
          e.id,
          e.at,
          e.actorId,
          e.actorUsername,
          e.role,
          e.action,
          e.entity,
          JSON.stringify(e.entityIds),
          JSON.stringify(e.residentIds),
          e.requestId,
          e.ip,
          e.outcome,
        ]),
      },
    ];
    const children = events.flatMap((e) => e.residentIds.map((residentId) => [e.id, residentId, e.at] as const));
    for (let i = 0; i < children.length; i += CHILD_ROWS_PER_STATEMENT) {
      const chunk = children.slice(i, i + CHILD_ROWS_PER_STATEMENT);
      out.push({
        sql: `INSERT INTO audit_event_residents (event_id, resident_id, at) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
        params: chunk.flat(),
      });
    }
    return out;
  }

  /** Writes one event now, on its own (a failed write, a write that ran no transaction). Never throws. */
  async writeNow(event: AuditEventRecord): Promise<void> {
    try {
      await this.dataSource.transaction((em) => this.insert(em, [event]));
    } catch (error) {
      this.logger.error(
        { action: event.action, outcome: event.outcome, code: codeOf(error) },
        'audit event not written',
      );
    }
  }

  /** Queues a read event; it reaches the table within ~flushMs. Never throws, never waits. */
  enqueue(event: AuditEventRecord): void {
    if (this.buffer.length >= this.options.maxBuffered) {
      this.dropped++;
      if (this.dropped === 1 || this.dropped % 1000 === 0) {
        this.logger.error({ dropped: this.dropped }, 'audit buffer full (database unreachable?): read events dropped');
      }
      return;
    }
    this.buffer.push(event);
    if (this.buffer.length >= this.options.maxBatch) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushMs);
      this.timer.unref();
    }
  }

  /** Writes everything buffered so far; resolves when it is in the table (or given up). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.flushing = this.flushing.then(async () => {
      while (this.buffer.length > 0) {
        const batch = this.buffer.splice(0, this.options.maxBatch);
        try {
          await this.dataSource.transaction((em) => this.insert(em, batch));
        } catch (error) {
          this.dropped += batch.length;
          this.logger.error({ events: batch.length, code: codeOf(error) }, 'audit read events not written');
        }
      }
    });
    return this.flushing;
  }

  /** Before the database closes (TypeORM closes it on application shutdown, after every onModuleDestroy). */
  async onModuleDestroy(): Promise<void> {
    await this.flush();
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown';
}
