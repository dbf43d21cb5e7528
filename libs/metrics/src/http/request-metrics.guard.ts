import type { ServerResponse } from 'node:http';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { errorCodeOf } from '@care/core';
import { MetricsService } from '../metrics.service';
import { routeTemplate } from '../rules/route-label';

/**
 * Times every routed request, whatever the HTTP adapter: a global guard registered ahead of the auth guard (so 401s
 * and 403s are counted too) that never refuses; it listens for the end of the Node response underneath (Express's
 * response is one, Fastify's reply holds it as `raw`) and records the route template, the status and the error code
 * the exception filter tagged. Time spent before routing (body parsing) is not included.
 */
@Injectable()
export class RequestMetricsGuard implements CanActivate {
  private readonly routes = new WeakMap<object, string>();

  constructor(private readonly metrics: MetricsService) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const started = performance.now();
    const http = context.switchToHttp();
    const request = http.getRequest<{ method?: string }>();
    const reply = http.getResponse<{ raw?: ServerResponse }>();
    const response = reply.raw ?? (reply as unknown as ServerResponse);
    const route = this.routeOf(context);
    const method = request.method ?? 'GET';
    response.once('finish', () => {
      this.metrics.observeRequest(
        method,
        route,
        response.statusCode,
        (performance.now() - started) / 1000,
        errorCodeOf(request),
      );
    });
    return true;
  }

  private routeOf(context: ExecutionContext): string {
    const handler = context.getHandler();
    let route = this.routes.get(handler);
    if (route === undefined) {
      route = routeTemplate(
        Reflect.getMetadata(PATH_METADATA, context.getClass()),
        Reflect.getMetadata(PATH_METADATA, handler),
      );
      this.routes.set(handler, route);
    }
    return route;
  }
}
