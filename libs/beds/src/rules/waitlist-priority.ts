/**
 * Admission waitlist priority (shared/spec/domain.md §3; the plan's policy, the project's ordering).
 *
 * Tiers, best first:
 *  1. `destitute` (特困) who cannot care for themselves (valid level ≥ 2);
 *  2. `family_planning_special` or `special_contribution`;
 *  3. `economic_hardship` or `low_income` who are also living alone, disabled or semi-disabled (level ≥ 1),
 *     `disabled`, or aged 80 or over;
 *  4. everyone else.
 * Inside a tier: worse ability level first (no valid assessment counts as better than level 0, i.e. last),
 * then older, then earlier application; the entry id breaks any remaining tie so the order is total.
 *
 * Pure: plain data in, plain data out. No Nest, no TypeORM.
 */

export type WaitlistTier = 1 | 2 | 3 | 4;
export type WaitlistLevel = 0 | 1 | 2 | 3 | 4;

export const WAITLIST_REASON_CODES = [
  'DESTITUTE_NEEDS_CARE',
  'FAMILY_PLANNING_SPECIAL',
  'SPECIAL_CONTRIBUTION',
  'ECONOMIC_HARDSHIP',
  'LOW_INCOME',
  'LIVING_ALONE',
  'IMPAIRED',
  'DISABLED',
  'AGED_80_PLUS',
  'GENERAL',
] as const;
export type WaitlistReasonCode = (typeof WAITLIST_REASON_CODES)[number];

export interface WaitlistReason {
  readonly code: WaitlistReasonCode;
  readonly zh: string;
  readonly en: string;
}

export const WAITLIST_TIER_NAMES: Readonly<Record<WaitlistTier, { readonly zh: string; readonly en: string }>> = {
  1: { zh: '第一优先：失能特困人员', en: 'Tier 1: destitute and unable to care for themselves' },
  2: {
    zh: '第二优先：计划生育特殊家庭或作出特殊贡献的老年人',
    en: 'Tier 2: special family-planning hardship or special contribution',
  },
  3: {
    zh: '第三优先：经济困难或低保且独居、失能半失能、残疾或高龄的老年人',
    en: 'Tier 3: low income or economic hardship, and living alone, impaired, disabled or aged 80+',
  },
  4: { zh: '一般轮候', en: 'Tier 4: general' },
};

/** Notes that do not place an entry but tell the manager what could change it. */
export const WAITLIST_HINT_CODES = ['NO_VALID_ASSESSMENT'] as const;
export type WaitlistHintCode = (typeof WAITLIST_HINT_CODES)[number];
export interface WaitlistHint {
  readonly code: WaitlistHintCode;
  readonly zh: string;
  readonly en: string;
}

export interface WaitlistCandidate {
  /** Entry id; breaks the last tie so the order is stable. */
  readonly id: string;
  /** Resident categories (`destitute`, `low_income`, … as on the resident). Unknown values are ignored. */
  readonly categories: readonly string[];
  /** Level of the resident's valid assessment, or null when there is none. */
  readonly level: WaitlistLevel | null;
  /** Age in whole years on the day the list is computed. */
  readonly age: number;
  readonly appliedAt: Date;
}

export interface WaitlistPriority {
  readonly tier: WaitlistTier;
  readonly reasons: readonly WaitlistReason[];
  readonly hints: readonly WaitlistHint[];
}

export interface RankedWaitlistEntry<T extends WaitlistCandidate> extends WaitlistPriority {
  readonly entry: T;
  /** 1-based place in the ordered list. */
  readonly position: number;
}

export const VERY_OLD_AGE = 80;
/** Level from which a destitute elder "cannot care for themselves". */
export const DESTITUTE_TIER_MIN_LEVEL = 2;
/** Level from which an elder counts as disabled or semi-disabled (失能、半失能). */
export const IMPAIRED_MIN_LEVEL = 1;

const R: Readonly<Record<WaitlistReasonCode, (c: WaitlistCandidate) => WaitlistReason>> = {
  DESTITUTE_NEEDS_CARE: (c) => ({
    code: 'DESTITUTE_NEEDS_CARE',
    zh: `特困人员，生活不能自理（能力等级${String(c.level)}）`,
    en: `Destitute and unable to care for themselves (level ${String(c.level)})`,
  }),
  FAMILY_PLANNING_SPECIAL: () => ({
    code: 'FAMILY_PLANNING_SPECIAL',
    zh: '计划生育特殊家庭',
    en: 'Special family-planning hardship family',
  }),
  SPECIAL_CONTRIBUTION: () => ({
    code: 'SPECIAL_CONTRIBUTION',
    zh: '作出特殊贡献的老年人',
    en: 'Elder who made special contributions',
  }),
  ECONOMIC_HARDSHIP: () => ({
    code: 'ECONOMIC_HARDSHIP',
    zh: '经济困难老年人',
    en: 'Economically disadvantaged elder',
  }),
  LOW_INCOME: () => ({ code: 'LOW_INCOME', zh: '低保对象', en: 'Minimum-living-allowance recipient' }),
  LIVING_ALONE: () => ({ code: 'LIVING_ALONE', zh: '独居', en: 'Living alone' }),
  IMPAIRED: (c) => ({
    code: 'IMPAIRED',
    zh: `失能或半失能（能力等级${String(c.level)}）`,
    en: `Disabled or semi-disabled (level ${String(c.level)})`,
  }),
  DISABLED: () => ({ code: 'DISABLED', zh: '残疾人', en: 'Person with a disability' }),
  AGED_80_PLUS: (c) => ({ code: 'AGED_80_PLUS', zh: `高龄（${c.age}岁）`, en: `Very old (aged ${c.age})` }),
  GENERAL: () => ({ code: 'GENERAL', zh: '不属于优先类别，按一般顺序轮候', en: 'No priority category: general order' }),
};

function has(c: WaitlistCandidate, category: string): boolean {
  return c.categories.includes(category);
}

/** The tier of one candidate and the reasons that placed it there. */
export function waitlistPriority(c: WaitlistCandidate): WaitlistPriority {
  const hints: WaitlistHint[] = [];
  if (c.level === null) {
    hints.push({
      code: 'NO_VALID_ASSESSMENT',
      zh: '无有效能力评估：评估后可能进入更高优先级',
      en: 'No valid ability assessment: an assessment may place the entry higher',
    });
  }

  if (has(c, 'destitute') && c.level !== null && c.level >= DESTITUTE_TIER_MIN_LEVEL) {
    return { tier: 1, reasons: [R.DESTITUTE_NEEDS_CARE(c)], hints };
  }

  const tier2: WaitlistReason[] = [];
  if (has(c, 'family_planning_special')) tier2.push(R.FAMILY_PLANNING_SPECIAL(c));
  if (has(c, 'special_contribution')) tier2.push(R.SPECIAL_CONTRIBUTION(c));
  if (tier2.length > 0) return { tier: 2, reasons: tier2, hints };

  const poor: WaitlistReason[] = [];
  if (has(c, 'economic_hardship')) poor.push(R.ECONOMIC_HARDSHIP(c));
  if (has(c, 'low_income')) poor.push(R.LOW_INCOME(c));
  const plus: WaitlistReason[] = [];
  if (has(c, 'living_alone')) plus.push(R.LIVING_ALONE(c));
  if (c.level !== null && c.level >= IMPAIRED_MIN_LEVEL) plus.push(R.IMPAIRED(c));
  if (has(c, 'disabled')) plus.push(R.DISABLED(c));
  if (c.age >= VERY_OLD_AGE) plus.push(R.AGED_80_PLUS(c));
  if (poor.length > 0 && plus.length > 0) return { tier: 3, reasons: [...poor, ...plus], hints };

  return { tier: 4, reasons: [R.GENERAL(c)], hints };
}

/** Order inside the whole list: tier, then worse level, older, earlier application, id. Negative when a goes first. */
export function compareWaitlist(
  a: WaitlistCandidate & { readonly tier: WaitlistTier },
  b: WaitlistCandidate & { readonly tier: WaitlistTier },
): number {
  if (a.tier !== b.tier) return a.tier - b.tier;
  const la = a.level ?? -1;
  const lb = b.level ?? -1;
  if (la !== lb) return lb - la;
  if (a.age !== b.age) return b.age - a.age;
  const ta = a.appliedAt.getTime();
  const tb = b.appliedAt.getTime();
  if (ta !== tb) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Orders candidates best-placed first, each with its tier, reasons, hints and position. */
export function rankWaitlist<T extends WaitlistCandidate>(candidates: readonly T[]): RankedWaitlistEntry<T>[] {
  return candidates
    .map((entry) => ({ entry, ...waitlistPriority(entry) }))
    .sort((x, y) => compareWaitlist({ ...x.entry, tier: x.tier }, { ...y.entry, tier: y.tier }))
    .map((r, i) => ({ ...r, position: i + 1 }));
}
