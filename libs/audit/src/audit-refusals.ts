import { randomUUID } from 'node:crypto';
import { Injectable, RequestMethod } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthUser } from '@care/core';
import { AuditRouteCheck } from './audit-routes';
import { AuditWriter } from './audit-writer';

/** Set by the interceptor on a request whose scope it opened: that request's event is its business. */
export const AUDITED = Symbol('care:audited');

/** The codes the guards answer with (the exception filter's names for these statuses). */
const REFUSALS: Record<number, string> = { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 429: 'TOO_MANY_ATTEMPTS' };

/** What the guard and the interceptor leave on Fastify's request object. */
type RefusedRequest = FastifyRequest & { user?: AuthUser; [AUDITED]?: boolean };

/**
 * A write refused before it reached the interceptor — by the global guard (no or bad token 401, a role that may not
 * 403) or a throttling guard (429) — still leaves an event with that outcome and the caller when known. Listens for
 * the response's end (a Fastify onResponse hook), so it costs nothing else; GET requests are not looked at.
 */
@Injectable()
export class AuditRefusals {
  /** Route path → method → action, for write routes; paths without the global prefix. Built at the first refusal. */
  private actionsByPath: Map<string, Map<RequestMethod, string>> | null = null;

  constructor(
    private readonly routes: AuditRouteCheck,
    private readonly writer: AuditWriter,
  ) {}

  private get actions(): Map<string, Map<RequestMethod, string>> {
    if (!this.actionsByPath) {
      this.actionsByPath = new Map();
      for (const route of this.routes.routes()) {
        if (route.audit.kind !== 'write') continue;
        const byMethod = this.actionsByPath.get(route.path) ?? new Map<RequestMethod, string>();
        byMethod.set(route.method, route.audit.action);
        this.actionsByPath.set(route.path, byMethod);
      }
    }
    return this.actionsByPath;
  }

  /** Listens on every answer of the api's Fastify instance (call before it is ready). */
  attach(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request, reply, done) => {
      if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS') {
        this.finished(request, reply.statusCode);
      }
      done();
    });
  }

  private finished(request: RefusedRequest, status: number): void {
    const outcome = REFUSALS[status];
    if (!outcome || request[AUDITED]) return;
    // the matched route's pattern (/api/v1/residents/:id); none when no route matched (a 404)
    const path = typeof request.routeOptions?.url === 'string' ? request.routeOptions.url : null;
    const action = path === null ? undefined : this.actionOf(path, request.method);
    if (!action) return;
    const user = request.user;
    void this.writer.writeNow({
      id: randomUUID(),
      at: new Date(),
      actorId: user?.id ?? null,
      actorUsername: user?.username ?? null,
      role: user?.role ?? null,
      action,
      entity: action.split('.')[0].slice(0, 40),
      entityIds: [],
      residentIds: [],
      requestId: typeof request.id === 'string' ? request.id.slice(0, 64) : null,
      ip: typeof request.ip === 'string' ? request.ip.slice(0, 45) : null,
      outcome,
    });
  }

  /** The matched route's path carries the global prefix (/api/v1/...): the longest known route path it ends with. */
  private actionOf(path: string, method: string): string | undefined {
    const verb = RequestMethod[method.toUpperCase() as keyof typeof RequestMethod];
    let best: { length: number; action: string } | undefined;
    for (const [known, byMethod] of this.actions) {
      if (path !== known && !path.endsWith(known)) continue;
      const action = byMethod.get(verb) ?? byMethod.get(RequestMethod.ALL);
      if (action && (!best || known.length > best.length)) best = { length: known.length, action };
    }
    return best?.action;
  }
}
