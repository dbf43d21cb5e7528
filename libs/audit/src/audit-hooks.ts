import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { auditContext, errorCodeOf, type AuditActor, type AuditScope, type AuthUser } from '@care/core';
import { AuditRouteCheck, auditedRouteOf, type AuditedRoute, type KnownRoute } from './audit-routes';
import { AuditWriter, OUTCOME_OK, eventFromScope } from './audit-writer';
import { idsInParams, residentIdsIn, residentIdsInBody } from './rules/resident-ids';

/** The action of the login route: its actor is the account logged into (or tried), not a bearer token's user. */
const LOGIN_ACTION = 'auth.login';

const NO_ACTOR: AuditActor = Object.freeze({ id: null, username: null, role: null });

/** What the hooks keep on Fastify's request: the scope they opened, and the answer's body before serialization. */
const SCOPE = Symbol('care:auditScope');
const BODY = Symbol('care:auditBody');
const CLOSED = Symbol('care:auditClosed');

type AuditedRequest = FastifyRequest & {
  user?: AuthUser;
  [SCOPE]?: RequestAuditScope;
  [BODY]?: unknown;
  [CLOSED]?: boolean;
};

/**
 * One audited request's scope. Opened before Nest's guards run, so its actor is read when an event is made: the
 * account the guard put on the request by then (a refused, anonymous request has none), or the account a login names.
 */
class RequestAuditScope implements AuditScope {
  entity: string | null = null;
  entityIds: string[] = [];
  residentIds: string[] = [];
  eventCommitted = false;
  /** The account a login names, found before the attempt. */
  named: AuditActor | null = null;

  readonly action: string;
  readonly kind: 'write' | 'read';

  constructor(
    readonly route: Extract<AuditedRoute, { kind: 'write' | 'read' }>,
    readonly ip: string | null,
    readonly requestId: string | null,
    private readonly request: { user?: AuthUser },
  ) {
    this.action = route.action;
    this.kind = route.kind;
  }

  get actor(): AuditActor {
    if (this.named) return this.named;
    const user = this.request.user;
    return user ? { id: user.id, username: user.username, role: user.role } : NO_ACTOR;
  }
}

/**
 * The audit trail's part of every request, as three Fastify hooks around the route (Nest's guards, pipes and handler
 * all run inside the route):
 * - preHandler: an audited route (a write, or a read of personal data) gets its scope, and the route runs inside it
 *   (AsyncLocalStorage), so services note what they touched and TransactionRunner writes a write's event inside the
 *   write's transaction;
 * - preSerialization: keeps the answer's body (the created record's id, the residents a read returned);
 * - onSend, before the answer goes out: a write that failed (refused by a guard, by validation, or by its service)
 *   gets an event with the error code the exception filter answered with, and a write that committed no transaction
 *   with its event gets one with `ok`, both written before the caller sees the answer; a successful read queues one
 *   read event for the batch writer.
 * This was a Nest interceptor: any global interceptor puts every request of the api through Nest's observable
 * pipeline, which measured 0.2 ms of api CPU per request (`npm run bench admissions`) — more than this work itself.
 */
@Injectable()
export class AuditHooks {
  /** `METHOD /api/v1/route/:pattern` → how that route is audited, found at its first request. */
  private readonly byRoute = new Map<string, AuditedRoute>();
  private knownRoutes: KnownRoute[] | null = null;
  private readsEnabled = true;

  constructor(
    private readonly routes: AuditRouteCheck,
    private readonly writer: AuditWriter,
    private readonly dataSource: DataSource,
  ) {}

  /** Adds the hooks to the api's Fastify instance (before it is ready). Reads are audited unless `reads` is false. */
  attach(fastify: FastifyInstance, options: { reads: boolean }): void {
    this.readsEnabled = options.reads;
    fastify.addHook('preHandler', (request, _reply, done) => this.open(request as AuditedRequest, done));
    fastify.addHook('preSerialization', (request, _reply, payload, done) => {
      const audited = request as AuditedRequest;
      if (audited[SCOPE]) audited[BODY] = payload;
      done(null, payload);
    });
    fastify.addHook('onSend', (request, reply, payload, done) => {
      const audited = request as AuditedRequest;
      const scope = audited[SCOPE];
      if (!scope || audited[CLOSED]) return done(null, payload);
      audited[CLOSED] = true;
      const writing = this.close(scope, audited, reply);
      if (writing) void writing.then(() => done(null, payload));
      else done(null, payload);
    });
  }

  private open(request: AuditedRequest, done: () => void): void {
    const route = this.routeOf(request);
    if (route.kind === 'none' || (route.kind === 'read' && !this.readsEnabled)) return done();
    const scope = new RequestAuditScope(
      route,
      typeof request.ip === 'string' ? request.ip.slice(0, 45) : null,
      typeof request.id === 'string' ? request.id.slice(0, 64) : null,
      request,
    );
    if (route.kind === 'write') {
      // what a write is about before its service says more: the ids in its path and a residentId in its body
      const fromParams = idsInParams(request.params as Record<string, unknown> | undefined);
      auditContext.noteOn(scope, { ids: fromParams.ids, residentIds: [...fromParams.residentIds] });
      auditContext.noteOn(scope, { residentIds: residentIdsInBody(request.body) });
    }
    request[SCOPE] = scope;
    // the login's actor is the account named, found before the attempt so a transaction of the login carries it too
    if (scope.action === LOGIN_ACTION) {
      void this.loginActor(request.body).then((named) => {
        scope.named = named;
        auditContext.run(scope, done);
      });
      return;
    }
    // the rest of the request (Nest's guards, pipes, handler) runs from here, so inside the scope
    auditContext.run(scope, done);
  }

  /** The event the answer closes the scope with; a promise when it is written before the answer goes out. */
  private close(scope: RequestAuditScope, request: AuditedRequest, reply: FastifyReply): Promise<void> | null {
    const status = reply.statusCode;
    const body = request[BODY];
    if (scope.kind === 'read') {
      // a failed read leaves no read event; a read event never fails the read
      if (status >= 400) return null;
      try {
        const query = request.query as Record<string, unknown> | undefined;
        const params = request.params as Record<string, unknown> | undefined;
        const route = scope.route as Extract<AuditedRoute, { kind: 'read' }>;
        const named = [query?.residentId, params?.residentId, route.residentParam && params?.[route.residentParam]];
        auditContext.noteOn(scope, {
          residentIds: [
            ...named.filter((v): v is string => typeof v === 'string'),
            ...residentIdsIn(body, { residents: route.residents }),
          ],
        });
        this.writer.enqueue(eventFromScope(scope, OUTCOME_OK));
      } catch {
        // never fail a read because of its audit event
      }
      return null;
    }
    if (status >= 400) return this.writer.writeNow(eventFromScope(scope, errorCodeOf(request) ?? `HTTP_${status}`));
    if (scope.eventCommitted) return null;
    // no transaction carried the event (a route that writes through a repository, or the login)
    const created = (body as { id?: unknown } | null | undefined)?.id;
    if (typeof created === 'string') auditContext.noteOn(scope, { ids: [created] });
    return this.writer.writeNow(eventFromScope(scope, OUTCOME_OK));
  }

  /** The audited route a request matched, by Fastify's route pattern (which carries the global prefix). */
  private routeOf(request: FastifyRequest): AuditedRoute {
    const path = request.routeOptions?.url;
    if (typeof path !== 'string') return { kind: 'none' };
    const key = `${request.method} ${path}`;
    let route = this.byRoute.get(key);
    if (!route) {
      this.knownRoutes ??= this.routes.routes();
      route = auditedRouteOf(this.knownRoutes, path, request.method);
      this.byRoute.set(key, route);
    }
    return route;
  }

  /**
   * A login names its account only when the typed username is one: a string that matches no account may be a
   * password typed into the wrong field, so it is never stored (the event then has no actor). Never rejects.
   */
  private async loginActor(body: unknown): Promise<AuditActor | null> {
    const typed = (body as { username?: unknown } | null)?.username;
    if (typeof typed !== 'string' || typed.length === 0 || typed.length > 64) return null;
    try {
      const rows = (await this.dataSource.query('SELECT id, username, role FROM users WHERE username = ?', [
        typed,
      ])) as { id: string; username: string; role: string }[];
      return rows[0] ? { id: rows[0].id, username: rows[0].username, role: rows[0].role } : null;
    } catch {
      // the event is still written, without an actor
      return null;
    }
  }
}
