import { EventEmitter } from 'node:events';
import type { ExecutionContext } from '@nestjs/common';
import { Controller, Get } from '@nestjs/common';
import { tagErrorCode, type JobQueue } from '@care/core';
import type { DataSource } from 'typeorm';
import { MetricsService } from '../metrics.service';
import { RequestMetricsGuard } from './request-metrics.guard';
import type { AlertsService } from '@care/emergency';

@Controller('care-orders')
class OrdersController {
  @Get(':id')
  one(): void {}
}

/** A Node response: Express's response is one; Fastify's reply carries one as `raw`. */
class FakeResponse extends EventEmitter {
  statusCode = 200;
}

function contextOf(request: object, response: object): ExecutionContext {
  return {
    getType: () => 'http',
    getClass: () => OrdersController,
    getHandler: () => OrdersController.prototype.one,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
}

describe('RequestMetricsGuard', () => {
  const metrics = new MetricsService({ driver: {} } as unknown as DataSource, {} as JobQueue, {} as AlertsService);
  const guard = new RequestMetricsGuard(metrics);
  const count = async (labels: string) =>
    Number(
      new RegExp(`care_http_request_duration_seconds_count\\{${labels}\\} (\\d+)`).exec(
        await metrics.registry.metrics(),
      )?.[1] ?? 0,
    );

  it('records the route template and status when an Express-style response finishes, and never refuses', async () => {
    const response = new FakeResponse();
    expect(guard.canActivate(contextOf({ method: 'GET', url: '/api/v1/care-orders/abc' }, response))).toBe(true);
    expect(await count('method="GET",route="/care-orders/:id",status="200"')).toBe(0); // not before the end
    response.emit('finish');
    expect(await count('method="GET",route="/care-orders/:id",status="200"')).toBe(1);
  });

  it('records through a Fastify-style reply (the Node response as `raw`), with the error code the filter tagged', async () => {
    const raw = new FakeResponse();
    const request = { method: 'GET' };
    guard.canActivate(contextOf(request, { raw }));
    raw.statusCode = 404;
    tagErrorCode(request, 'NOT_FOUND');
    raw.emit('finish');
    expect(await count('method="GET",route="/care-orders/:id",status="404"')).toBe(1);
    expect(await metrics.registry.metrics()).toMatch(/care_http_errors_total\{code="NOT_FOUND",status="404"\} 1/);
  });
});
