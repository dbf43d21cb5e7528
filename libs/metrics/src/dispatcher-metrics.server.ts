import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, DomainError } from '@care/core';
import { MetricsAccess } from './metrics-access';
import { MetricsService } from './metrics.service';

/**
 * The dispatcher has no HTTP api: when DISPATCHER_METRICS_PORT is set, this small server answers GET /metrics there
 * (same access rule as the api's), and nothing else. Errors have the contract's shape.
 */
@Injectable()
export class DispatcherMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: MetricsAccess,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.metrics.dispatcherPort;
    if (port === null) return;
    const server = createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => resolve());
    });
    this.server = server;
    this.logger.log(`dispatcher metrics on :${port}/metrics`);
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/metrics')
        return send(res, 404, { statusCode: 404, code: 'NOT_FOUND', message: 'Only /metrics is served here' });
      if (req.method !== 'GET')
        return send(res, 405, { statusCode: 405, code: 'METHOD_NOT_ALLOWED', message: 'GET only' });
      const authorization = req.headers.authorization;
      await this.access.check(req.socket.remoteAddress, typeof authorization === 'string' ? authorization : undefined);
      const text = await this.metrics.scrape();
      res.writeHead(200, { 'Content-Type': this.metrics.contentType, 'Cache-Control': 'no-store' });
      res.end(text);
    } catch (error) {
      if (error instanceof DomainError)
        return send(res, error.status, { statusCode: error.status, code: error.code, message: error.message });
      // e.g. the database unreachable while a token is checked: no internals in the answer
      send(res, 503, {
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: 'Metrics are unavailable; retry shortly',
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections(); // a scraper's keep-alive connection must not hold the shutdown
    await closed;
  }
}

function send(res: ServerResponse, status: number, body: { statusCode: number; code: string; message: string }): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
