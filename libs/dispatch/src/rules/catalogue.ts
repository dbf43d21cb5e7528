/**
 * The service catalogue as the dispatch rules use it: the one catalogue of care orders
 * (libs/care-orders/src/rules/service-catalogue.ts, through the `@care/care-orders/catalogue` alias, which loads only
 * that pure module), with the strict forms dispatch needs: an order naming a service the catalogue lacks is a
 * programming or data error, not a dispatch outcome. The rules always take the catalogue as an argument (a bureau
 * may change default minutes) and only default to the built-in one.
 */
import {
  DEFAULT_CATALOGUE,
  effectiveDuration,
  skillsNeeded,
  UnknownServiceError,
  unknownServiceCodes,
  type ServiceCatalogue,
  type Skill,
} from '@care/care-orders/catalogue';

export {
  catalogueOf,
  DEFAULT_CATALOGUE,
  DEFAULT_SERVICES,
  hasSkills,
  SKILLS,
  UnknownServiceError,
  type ServiceCatalogue,
  type ServiceDefinition,
  type Skill,
} from '@care/care-orders/catalogue';

/** What an order needs in order to know its duration and skills. */
export interface OrderServices {
  readonly services: readonly string[];
  readonly durationMinutes?: number | null;
}

function assertKnown(codes: readonly string[], catalogue: ServiceCatalogue): void {
  const [unknown] = unknownServiceCodes(codes, catalogue);
  if (unknown !== undefined) throw new UnknownServiceError(unknown);
}

/**
 * The visit's duration: the order's `durationMinutes` when given, else the sum of its services' default
 * minutes. Every service code must be in the catalogue (also when the duration is given).
 */
export function orderDurationMinutes(order: OrderServices, catalogue: ServiceCatalogue = DEFAULT_CATALOGUE): number {
  assertKnown(order.services, catalogue);
  const given = order.durationMinutes;
  if (given !== undefined && given !== null && (!Number.isInteger(given) || given <= 0))
    throw new RangeError(`durationMinutes must be a positive integer, got ${given}`);
  return effectiveDuration(order.services, catalogue, given);
}

/** The skills the order's services need, each once, in catalogue skill order. */
export function requiredSkills(order: OrderServices, catalogue: ServiceCatalogue = DEFAULT_CATALOGUE): Skill[] {
  assertKnown(order.services, catalogue);
  return skillsNeeded(order.services, catalogue);
}
