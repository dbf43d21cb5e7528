/**
 * The doorstep service catalogue of domain.md §5, the one copy: care orders, dispatch (through the
 * `@care/care-orders/catalogue` alias, which loads only this pure module) and the console (its vite alias) use it.
 * Codes and skills are fixed; names and default minutes are defaults loaded once into the `services` table (a
 * bureau may change them there), so code that needs the current figures reads the table, and this list only seeds
 * it and is the default of the pure rules. Imports nothing.
 */

export const SKILLS = ['housekeeping', 'personal_care', 'health', 'escort', 'nursing'] as const;
export type Skill = (typeof SKILLS)[number];

export interface CatalogueEntry {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly defaultMinutes: number;
  /** The skill a caregiver needs; null when anyone may deliver it. */
  readonly skill: Skill | null;
}

export const SERVICE_CATALOGUE: readonly CatalogueEntry[] = Object.freeze([
  { code: 'home_cleaning', name: '居家环境清扫', nameEn: 'home cleaning', defaultMinutes: 60, skill: 'housekeeping' },
  {
    code: 'personal_hygiene',
    name: '个人卫生清洁',
    nameEn: 'personal hygiene',
    defaultMinutes: 45,
    skill: 'personal_care',
  },
  {
    code: 'laundry',
    name: '衣物被褥清洗',
    nameEn: 'washing clothes and bedding',
    defaultMinutes: 45,
    skill: 'housekeeping',
  },
  { code: 'health_check', name: '健康状况监测', nameEn: 'health monitoring', defaultMinutes: 15, skill: 'health' },
  {
    code: 'safety_check',
    name: '水电气煤安全隐患排查',
    nameEn: 'water, power, gas and coal safety check',
    defaultMinutes: 15,
    skill: 'housekeeping',
  },
  { code: 'meal_assist', name: '助餐', nameEn: 'meal help', defaultMinutes: 45, skill: 'housekeeping' },
  { code: 'bathing', name: '助浴', nameEn: 'bathing', defaultMinutes: 60, skill: 'personal_care' },
  { code: 'medical_escort', name: '助医', nameEn: 'escort to medical care', defaultMinutes: 120, skill: 'escort' },
  { code: 'rehab_care', name: '康复护理', nameEn: 'rehabilitation care', defaultMinutes: 60, skill: 'nursing' },
  { code: 'companionship', name: '精神慰藉', nameEn: 'companionship', defaultMinutes: 30, skill: null },
  { code: 'errand', name: '委托代办', nameEn: 'errands', defaultMinutes: 60, skill: null },
] satisfies CatalogueEntry[]);

export const SERVICE_CODES: readonly string[] = SERVICE_CATALOGUE.map((s) => s.code);

/** Minimal view of a catalogue row the helpers below need. */
export interface ServiceFigures {
  readonly code: string;
  readonly defaultMinutes: number;
  readonly skill: string | null;
}

/** A catalogue row's figures with a typed skill (what dispatch plans with). */
export interface ServiceDefinition extends ServiceFigures {
  readonly skill: Skill | null;
}

/** Service figures by code. */
export type ServiceCatalogue = ReadonlyMap<string, ServiceDefinition>;

/** A catalogue of the figures of some services (code, default minutes, skill), by code; a later code wins. */
export function catalogueOf(services: Iterable<ServiceDefinition>): ServiceCatalogue {
  const map = new Map<string, ServiceDefinition>();
  for (const { code, defaultMinutes, skill } of services) map.set(code, { code, defaultMinutes, skill });
  return map;
}

/** The default catalogue's figures, in catalogue order. */
export const DEFAULT_SERVICES: readonly ServiceDefinition[] = Object.freeze([
  ...catalogueOf(SERVICE_CATALOGUE).values(),
]);
export const DEFAULT_CATALOGUE: ServiceCatalogue = catalogueOf(SERVICE_CATALOGUE);

/** An order names a service the catalogue does not hold. */
export class UnknownServiceError extends Error {
  constructor(readonly serviceCode: string) {
    super(`unknown service code "${serviceCode}"`);
    this.name = 'UnknownServiceError';
  }
}

/** Codes of `codes` the catalogue does not know, each once, in the given order. */
export function unknownServiceCodes(
  codes: readonly string[],
  catalogue: ReadonlyMap<string, ServiceFigures>,
): string[] {
  return [...new Set(codes.filter((code) => !catalogue.has(code)))];
}

/** The visit's duration: the given minutes, else the sum of the services' default minutes. */
export function effectiveDuration(
  codes: readonly string[],
  catalogue: ReadonlyMap<string, ServiceFigures>,
  given?: number | null,
): number {
  if (given !== undefined && given !== null) return given;
  return codes.reduce((sum, code) => sum + (catalogue.get(code)?.defaultMinutes ?? 0), 0);
}

/** The skills an order's services need, each once, in SKILLS order. */
export function skillsNeeded(codes: readonly string[], catalogue: ReadonlyMap<string, ServiceFigures>): Skill[] {
  const needed = new Set(codes.map((code) => catalogue.get(code)?.skill).filter((s): s is string => !!s));
  return SKILLS.filter((skill) => needed.has(skill));
}

/** Whether a caregiver with `skills` can deliver services needing `needed`. */
export function hasSkills(skills: Iterable<string>, needed: readonly string[]): boolean {
  const held = new Set(skills);
  return needed.every((skill) => held.has(skill));
}
