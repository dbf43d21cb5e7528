import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, IS_PUBLIC, ROLES_KEY, Role, UnauthorizedError, type AuthUser } from '@care/core';
import { AuthService } from './auth.service';

/**
 * The global guard: every route needs a valid bearer token and an explicit @Roles list, unless it is
 * marked @Public. A route with neither is refused (fail closed), so a forgotten decorator cannot open it.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** Per controller and handler, read once: public, or the roles allowed (undefined: none given, so refused). */
  private readonly routes = new WeakMap<object, WeakMap<object, { isPublic: boolean; roles: Role[] | undefined }>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { isPublic, roles } = this.routeOf(context);
    if (isPublic) return true;

    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; user?: AuthUser }>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedError('Missing bearer token');
    request.user = await this.auth.authenticate(match[1]);

    if (!roles || !roles.includes(request.user.role)) throw new ForbiddenError();
    return true;
  }

  private routeOf(context: ExecutionContext): { isPublic: boolean; roles: Role[] | undefined } {
    const handler = context.getHandler();
    const controller = context.getClass();
    let handlers = this.routes.get(controller);
    if (!handlers) this.routes.set(controller, (handlers = new WeakMap()));
    let route = handlers.get(handler);
    if (!route) {
      const targets = [handler, controller];
      route = {
        isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
        roles: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
      };
      handlers.set(handler, route);
    }
    return route;
  }
}
