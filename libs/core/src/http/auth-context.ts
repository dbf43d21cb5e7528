import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ForbiddenError, NotFoundError } from '../errors/domain-error';

export const ROLES = ['admin', 'bureau', 'manager', 'dispatcher', 'caregiver', 'integration'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The roles of people. `integration` is a machine user (the one-key call devices' gateway) that may only raise
 * emergency calls, so routes open to "everyone who logs in" list these, never ROLES.
 */
export const HUMAN_ROLES = ['admin', 'bureau', 'manager', 'dispatcher', 'caregiver'] as const satisfies readonly Role[];

/** Who is calling: loaded from the users table on every request, so a revoked facility takes effect at once. */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  facilityIds: string[];
  caregiverId: string | null;
}

export const IS_PUBLIC = 'care:isPublic';
export const ROLES_KEY = 'care:roles';

/** A route anyone may call without a token (login, health, docs). Every other route needs @Roles. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The roles that may call a route. The guard refuses routes that declare none (fail closed). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const request = ctx.switchToHttp().getRequest<{ user?: AuthUser }>();
  if (!request.user) throw new Error('CurrentUser used on a public route');
  return request.user;
});

/** Admin and bureau see the whole county. */
export function seesWholeCounty(user: AuthUser): boolean {
  return user.role === 'admin' || user.role === 'bureau';
}

/**
 * Facility scoping: a manager reaches only the facilities listed on its user; anything else answers 404
 * so that another facility's existence is not revealed. Dispatchers and caregivers reach no facility.
 */
export function assertFacilityAccess(user: AuthUser, facilityId: string, what = 'Facility'): void {
  if (seesWholeCounty(user)) return;
  if (user.role === 'manager' && user.facilityIds.includes(facilityId)) return;
  if (user.role === 'manager') throw new NotFoundError(what, facilityId);
  throw new ForbiddenError();
}

/** The facility ids a user may see, or null for all of them. */
export function facilityScope(user: AuthUser): string[] | null {
  return seesWholeCounty(user) ? null : user.role === 'manager' ? user.facilityIds : [];
}
