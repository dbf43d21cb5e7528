import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { MetricsAccess } from '../metrics-access';

/** The route guard of GET /metrics. `ip` is the framework's client address (it applies the adapter's proxy trust). */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  constructor(private readonly access: MetricsAccess) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{
      ip?: string;
      socket?: { remoteAddress?: string };
      headers: Record<string, string | string[] | undefined>;
    }>();
    const authorization = request.headers.authorization;
    await this.access.check(
      request.ip ?? request.socket?.remoteAddress,
      typeof authorization === 'string' ? authorization : undefined,
    );
    return true;
  }
}
