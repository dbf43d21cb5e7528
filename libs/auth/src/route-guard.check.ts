import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PATH_METADATA } from '@nestjs/common/constants';
import { IS_PUBLIC, ROLES_KEY } from '@care/core';

/**
 * Refuses to start the api when a route declares neither @Roles nor @Public. The guard would answer 403
 * anyway; failing at start makes the mistake visible before anyone calls the route.
 */
@Injectable()
export class RouteGuardCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const unguarded: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.metatype) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[method] as (...args: unknown[]) => unknown;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const targets = [handler, wrapper.metatype];
        const declared =
          this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ||
          this.reflector.getAllAndOverride<string[]>(ROLES_KEY, targets)?.length;
        if (!declared) unguarded.push(`${wrapper.metatype.name}.${method}`);
      }
    }
    if (unguarded.length) throw new Error(`Routes without @Roles or @Public: ${unguarded.join(', ')}`);
  }
}
