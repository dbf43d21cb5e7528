/**
 * The doorstep service catalogue (domain.md §5): codes are fixed, names and default minutes are defaults a
 * bureau may change, so the rules always take the catalogue as an argument and only default to this one.
 */

export const SKILLS = ['housekeeping', 'personal_care', 'health', 'escort', 'nursing'] as const;
export type Skill = (typeof SKILLS)[number];

export interface ServiceDefinition {
  readonly code: string;
  readonly defaultMinutes: number;
  /** The skill a caregiver needs to deliver it; null when anyone may. */
  readonly skill: Skill | null;
}

/** Service definitions by code. */
export type ServiceCatalogue = ReadonlyMap<string, ServiceDefinition>;

export const DEFAULT_SERVICES: readonly ServiceDefinition[] = Object.freeze([
  { code: 'home_cleaning', defaultMinutes: 60, skill: 'housekeeping' },
  { code: 'personal_hygiene', defaultMinutes: 45, skill: 'personal_care' },
  { code: 'laundry', defaultMinutes: 45, skill: 'housekeeping' },
  { code: 'health_check', defaultMinutes: 15, skill: 'health' },
  { code: 'safety_check', defaultMinutes: 15, skill: 'housekeeping' },
  { code: 'meal_assist', defaultMinutes: 45, skill: 'housekeeping' },
  { code: 'bathing', defaultMinutes: 60, skill: 'personal_care' },
  { code: 'medical_escort', defaultMinutes: 120, skill: 'escort' },
  { code: 'rehab_care', defaultMinutes: 60, skill: 'nursing' },
  { code: 'companionship', defaultMinutes: 30, skill: null },
  { code: 'errand', defaultMinutes: 60, skill: null },
] satisfies ServiceDefinition[]);

export function catalogueOf(services: Iterable<ServiceDefinition>): ServiceCatalogue {
  const map = new Map<string, ServiceDefinition>();
  for (const service of services) map.set(service.code, service);
  return map;
}

export const DEFAULT_CATALOGUE: ServiceCatalogue = catalogueOf(DEFAULT_SERVICES);

/** An order names a service the catalogue does not hold: a programming or data error, not a dispatch outcome. */
export class UnknownServiceError extends Error {
  constructor(readonly serviceCode: string) {
    super(`unknown service code "${serviceCode}"`);
    this.name = 'UnknownServiceError';
  }
}

function lookup(catalogue: ServiceCatalogue, code: string): ServiceDefinition {
  const service = catalogue.get(code);
  if (!service) throw new UnknownServiceError(code);
  return service;
}

/** What an order needs in order to know its duration and skills. */
export interface OrderServices {
  readonly services: readonly string[];
  readonly durationMinutes?: number | null;
}

/**
 * The visit's duration: the order's `durationMinutes` when given, else the sum of its services' default
 * minutes. Every service code must be in the catalogue (also when the duration is given).
 */
export function orderDurationMinutes(order: OrderServices, catalogue: ServiceCatalogue = DEFAULT_CATALOGUE): number {
  const defaults = order.services.reduce((sum, code) => sum + lookup(catalogue, code).defaultMinutes, 0);
  const given = order.durationMinutes;
  if (given !== undefined && given !== null) {
    if (!Number.isInteger(given) || given <= 0)
      throw new RangeError(`durationMinutes must be a positive integer, got ${given}`);
    return given;
  }
  return defaults;
}

/** The skills the order's services need, each once, in catalogue skill order. */
export function requiredSkills(order: OrderServices, catalogue: ServiceCatalogue = DEFAULT_CATALOGUE): Skill[] {
  const needed = new Set<Skill>();
  for (const code of order.services) {
    const skill = lookup(catalogue, code).skill;
    if (skill) needed.add(skill);
  }
  return SKILLS.filter((skill) => needed.has(skill));
}

/** Whether a caregiver with `skills` can deliver every service the order names. */
export function hasSkills(skills: Iterable<string>, needed: readonly Skill[]): boolean {
  const held = new Set(skills);
  return needed.every((skill) => held.has(skill));
}
