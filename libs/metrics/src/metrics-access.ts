import { Inject, Injectable } from '@nestjs/common';
import { AuthService } from '@care/auth';
import { APP_CONFIG, type AppConfig, ForbiddenError, UnauthorizedError } from '@care/core';
import { addressAllowList } from './rules/address-allow-list';

/**
 * Who may read /metrics (the api's and a dispatcher's): a client from a METRICS_ALLOW address, or an admin's bearer
 * token. Anyone else: 401 without a token, 403 with a token of another role. Metrics name routes, queues and load;
 * they are an operator's, not every user's.
 */
@Injectable()
export class MetricsAccess {
  private readonly allowed: (address: string | undefined) => boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly auth: AuthService,
  ) {
    this.allowed = addressAllowList(config.metrics.allow);
  }

  async check(address: string | undefined, authorization: string | undefined): Promise<void> {
    if (this.allowed(address)) return;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new UnauthorizedError('Missing bearer token (or scrape from an address in METRICS_ALLOW)');
    const user = await this.auth.authenticate(match[1]);
    if (user.role !== 'admin') throw new ForbiddenError('Metrics are for admins and allowed addresses');
  }
}
