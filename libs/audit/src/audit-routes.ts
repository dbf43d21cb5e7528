import { Injectable, OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import {
  AUDIT_ACTION_KEY,
  AUDIT_ACTION_PATTERN,
  AUDIT_READ_KEY,
  defaultAuditAction,
  type AuditReadOptions,
} from '@care/core';

/** How a route is audited: a write (every non-GET route), a read of personal data (@AuditRead), or not at all. */
export type AuditedRoute =
  | { kind: 'write'; action: string }
  | { kind: 'read'; action: string; residents: boolean; residentParam: string | null }
  | { kind: 'none' };

type Handler = (...args: unknown[]) => unknown;

/** A route of the api as the audit trail knows it: its path without the global prefix, method and audit kind. */
export interface KnownRoute {
  name: string;
  path: string;
  method: RequestMethod;
  audit: AuditedRoute;
}

/**
 * How the route a request matched is audited, by Fastify's pattern of it (`/api/v1/residents/:id`: the global prefix
 * + the route's path; a route outside the prefix such as /health as it is): the longest known path the pattern ends
 * with. HEAD is answered by the GET route, and audited as it. A pattern of no known route (static files, the queue
 * board) is not audited.
 */
export function auditedRouteOf(routes: readonly KnownRoute[], pattern: string, method: string): AuditedRoute {
  const name = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const verb = RequestMethod[name as keyof typeof RequestMethod];
  let best: KnownRoute | undefined;
  for (const known of routes) {
    if (known.method !== verb && known.method !== RequestMethod.ALL) continue;
    if (pattern !== known.path && (known.path === '/' || !pattern.endsWith(known.path))) continue;
    if (!best || known.path.length > best.path.length) best = known;
  }
  return best?.audit ?? { kind: 'none' };
}

/** The one rule that names a route's events: @AuditAction / @AuditRead({ action }) if given, else the derived name. */
export function describeRoute(reflector: Reflector, controller: { name: string }, handler: Handler): AuditedRoute {
  const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
  const derived = defaultAuditAction(controller.name, handler.name);
  const read = reflector.get<AuditReadOptions | undefined>(AUDIT_READ_KEY, handler);
  if (method === RequestMethod.GET || method === RequestMethod.HEAD || method === RequestMethod.OPTIONS) {
    return read
      ? {
          kind: 'read',
          action: read.action ?? derived,
          residents: read.residents === true,
          residentParam: read.residentParam ?? null,
        }
      : { kind: 'none' };
  }
  return { kind: 'write', action: reflector.get<string | undefined>(AUDIT_ACTION_KEY, handler) ?? derived };
}

/**
 * Refuses to start the api when the audit trail could not name a route's events unambiguously: every non-GET route
 * has an action name (derived by default, so a new route needs nothing), well formed, and no two routes share one.
 * Also fails if any route other than GET is mounted under audit-events (the trail is append-only).
 */
@Injectable()
export class AuditRouteCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const problems = auditRouteProblems(this.routes());
    if (problems.length) throw new Error(`Audit trail: ${problems.join('; ')}`);
  }

  /** Every route: its controller path, handler path, and how it is audited. */
  routes(): KnownRoute[] {
    const out: KnownRoute[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.metatype) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      const base = String(Reflect.getMetadata(PATH_METADATA, wrapper.metatype) ?? '');
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as Handler;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (path === undefined) continue;
        out.push({
          name: `${wrapper.metatype.name}.${name}`,
          path: `/${[base, ...[path].flat()].filter(Boolean).join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1'),
          method: Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod,
          audit: describeRoute(this.reflector, wrapper.metatype, handler),
        });
      }
    }
    return out;
  }
}

export function auditRouteProblems(routes: KnownRoute[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const route of routes) {
    if (/^\/?audit-events/.test(route.path) && route.method !== RequestMethod.GET) {
      problems.push(`${route.name} would change audit events (only GET is allowed under /audit-events)`);
    }
    if (route.audit.kind === 'none') continue;
    const { action } = route.audit;
    // the column holds 80 characters: a longer name would make every write of the route fail with its event
    if (!AUDIT_ACTION_PATTERN.test(action) || action.length > 80) {
      problems.push(`${route.name} has no usable action name ("${action}")`);
    }
    const other = seen.get(action);
    if (other) problems.push(`${route.name} and ${other} share the action name "${action}" (give one @AuditAction)`);
    else seen.set(action, route.name);
  }
  return problems;
}
