import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable, from, lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import {
  DomainError,
  auditContext,
  isDuplicateKeyError,
  isLockError,
  type AuditActor,
  type AuditScope,
  type AuthUser,
} from '@care/core';
import { AuditWriter, OUTCOME_OK, eventFromScope } from './audit-writer';
import { AUDITED } from './audit-refusals';
import { describeRoute, type AuditedRoute } from './audit-routes';
import { idsInParams, residentIdsIn, residentIdsInBody } from './rules/resident-ids';

interface AuditedRequest {
  id?: unknown;
  ip?: string;
  user?: AuthUser;
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  [AUDITED]?: boolean;
}

/** The action of the login route: its actor is the account logged into (or tried), not a bearer token's user. */
export const LOGIN_ACTION = 'auth.login';

/** The error code an event's outcome carries: the same codes the exception filter answers with. */
export function outcomeOf(error: unknown): string {
  if (error instanceof DomainError) return error.code;
  if (error instanceof HttpException) {
    const raw = error.getResponse();
    if (typeof raw === 'object' && raw !== null && typeof (raw as { code?: unknown }).code === 'string') {
      return (raw as { code: string }).code;
    }
    const status = error.getStatus();
    return status === 400 ? 'VALIDATION_FAILED' : status === 429 ? 'TOO_MANY_ATTEMPTS' : `HTTP_${status}`;
  }
  if (isDuplicateKeyError(error)) return 'CONFLICT';
  if (isLockError(error)) return 'BUSY';
  return 'INTERNAL';
}

/**
 * Opens the audit scope of each audited request (AsyncLocalStorage) and closes it:
 * - a write: TransactionRunner writes the event inside the write's transaction (see AuditModule); if the route
 *   committed no transaction (or failed), the event is written here, on its own, with `ok` or the error's code;
 * - a read of personal data: one read event with the resident ids of the response, queued for the batch writer.
 * Runs after the guard (so the caller is known) and around the pipes (so a validation failure is a failed write).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly routes = new WeakMap<object, AuditedRoute>();

  constructor(
    private readonly reflector: Reflector,
    private readonly writer: AuditWriter,
    private readonly dataSource: DataSource,
    private readonly readsEnabled: boolean,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const route = this.route(context);
    if (route.kind === 'none' || (route.kind === 'read' && !this.readsEnabled)) return next.handle();
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    request[AUDITED] = true;
    const scope = this.openScope(route, request);
    return new Observable<unknown>((subscriber) => {
      auditContext.run(scope, () => {
        const work = route.kind === 'read' ? this.read(scope, route, request, next) : this.write(scope, request, next);
        from(work).subscribe(subscriber);
      });
    });
  }

  private async read(
    scope: AuditScope,
    route: Extract<AuditedRoute, { kind: 'read' }>,
    request: AuditedRequest,
    next: CallHandler,
  ): Promise<unknown> {
    const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    try {
      const named = [
        request.query?.residentId,
        request.params?.residentId,
        route.residentParam && request.params?.[route.residentParam],
      ];
      auditContext.note({
        residentIds: [
          ...named.filter((v): v is string => typeof v === 'string'),
          ...residentIdsIn(body, { residents: route.residents }),
        ],
      });
      this.writer.enqueue(eventFromScope(scope, OUTCOME_OK));
    } catch {
      // never fail a read because of its audit event
    }
    return body;
  }

  private async write(scope: AuditScope, request: AuditedRequest, next: CallHandler): Promise<unknown> {
    // the login's actor is the account named, found before the attempt so a transaction of the login carries it too
    if (scope.action === LOGIN_ACTION) await this.loginActor(scope, request.body);
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      await this.writer.writeNow(eventFromScope(scope, outcomeOf(error)));
      throw error;
    }
    if (!scope.eventCommitted) {
      // no transaction carried the event (a route that writes through a repository, or the login)
      const created = (body as { id?: unknown } | null)?.id;
      if (typeof created === 'string') auditContext.note({ ids: [created] });
      await this.writer.writeNow(eventFromScope(scope, OUTCOME_OK));
    }
    return body;
  }

  private route(context: ExecutionContext): AuditedRoute {
    const handler = context.getHandler();
    let route = this.routes.get(handler);
    if (!route) {
      route = describeRoute(this.reflector, context.getClass(), handler as (...args: unknown[]) => unknown);
      this.routes.set(handler, route);
    }
    return route;
  }

  private openScope(route: Extract<AuditedRoute, { kind: 'read' | 'write' }>, request: AuditedRequest): AuditScope {
    const user = request.user;
    const actor: AuditActor = user
      ? { id: user.id, username: user.username, role: user.role }
      : { id: null, username: null, role: null };
    const scope: AuditScope = {
      action: route.action,
      kind: route.kind,
      actor,
      ip: typeof request.ip === 'string' ? request.ip.slice(0, 45) : null,
      requestId: typeof request.id === 'string' ? request.id.slice(0, 64) : null,
      entity: null,
      entityIds: [],
      residentIds: [],
      eventCommitted: false,
    };
    if (route.kind === 'write') {
      // what a write is about before its service says more: the ids in its path and a residentId in its body
      const fromParams = idsInParams(request.params);
      scope.entityIds.push(...fromParams.ids);
      scope.residentIds.push(...fromParams.residentIds);
      for (const id of residentIdsInBody(request.body)) if (!scope.residentIds.includes(id)) scope.residentIds.push(id);
    }
    return scope;
  }

  /**
   * A login names its account only when the typed username is one: a string that matches no account may be a
   * password typed into the wrong field, so it is never stored (the event then has no actor).
   */
  private async loginActor(scope: AuditScope, body: unknown): Promise<void> {
    const typed = (body as { username?: unknown } | null)?.username;
    if (typeof typed !== 'string' || typed.length === 0 || typed.length > 64) return;
    try {
      const rows = (await this.dataSource.query('SELECT id, username, role FROM users WHERE username = ?', [
        typed,
      ])) as {
        id: string;
        username: string;
        role: string;
      }[];
      if (rows[0]) scope.actor = { id: rows[0].id, username: rows[0].username, role: rows[0].role };
    } catch {
      // the event is still written, without an actor
    }
  }
}
