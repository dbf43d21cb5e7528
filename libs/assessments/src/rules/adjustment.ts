/**
 * GB/T 42195-2022 level adjustment (能力等级变更依据) → final level.
 *
 * - coma (昏迷) → level 4 whatever the score;
 * - diagnosed dementia (F00–F03) or another mental or behavioural disorder diagnosed by a psychiatrist (F04–F99)
 *   → one level worse;
 * - two or more care-risk events in the last 30 days, all types counted together → one level worse;
 * - project's reading (configurable): the two "one level worse" rules do not add up; the result is capped at 4.
 */
import { WORST_LEVEL, type AbilityLevel } from './levels';

export const RISK_EVENT_KEYS = ['falls', 'wandering', 'choking', 'suicideOrSelfHarm', 'other'] as const;
export type RiskEventKey = (typeof RISK_EVENT_KEYS)[number];
/** A count of 3 means "3 or more". */
export const MAX_RISK_EVENT_COUNT = 3;
/** Events in the last 30 days, all types summed, from which the level is one worse. */
export const RISK_EVENT_THRESHOLD = 2;

export const RISK_EVENT_NAMES: Readonly<Record<RiskEventKey, { readonly zh: string; readonly en: string }>> = {
  falls: { zh: '跌倒', en: 'falls' },
  wandering: { zh: '走失', en: 'wandering / getting lost' },
  choking: { zh: '噎食', en: 'choking' },
  suicideOrSelfHarm: { zh: '自杀、自伤', en: 'suicide or self-harm' },
  other: { zh: '其他', en: 'other' },
};

export interface AssessmentConditions {
  readonly coma: boolean;
  readonly dementia: boolean;
  readonly mentalDisorder: boolean;
  readonly riskEvents30d: Readonly<Record<RiskEventKey, number>>;
}

export const ADJUSTMENT_REASON_CODES = [
  'COMA',
  'DEMENTIA',
  'MENTAL_DISORDER',
  'RISK_EVENTS_30D',
  'ONE_WORSE_NOT_CUMULATIVE',
  'CAPPED_AT_WORST',
] as const;
export type AdjustmentReasonCode = (typeof ADJUSTMENT_REASON_CODES)[number];

export interface AdjustmentReason {
  /** Stable code; clients key on it, never on the text. */
  readonly code: AdjustmentReasonCode;
  readonly zh: string;
  readonly en: string;
}

export interface AdjustmentOptions {
  /**
   * Whether the dementia/mental-disorder rule and the risk-event rule add up (two levels worse).
   * Default false: the project's reading of the standard is that they do not.
   */
  readonly oneWorseRulesCumulative: boolean;
}

export const DEFAULT_ADJUSTMENT_OPTIONS: AdjustmentOptions = { oneWorseRulesCumulative: false };

export interface AdjustmentResult {
  readonly preliminaryLevel: AbilityLevel;
  readonly level: AbilityLevel;
  /** The rules that applied, in the order of the standard; empty when the level is the preliminary one. */
  readonly reasons: readonly AdjustmentReason[];
}

export function riskEventTotal(conditions: AssessmentConditions): number {
  return RISK_EVENT_KEYS.reduce((sum, k) => sum + conditions.riskEvents30d[k], 0);
}

function reason(code: AdjustmentReasonCode, zh: string, en: string): AdjustmentReason {
  return { code, zh, en };
}

function clampLevel(n: number): AbilityLevel {
  return Math.max(0, Math.min(WORST_LEVEL, n)) as AbilityLevel;
}

/** Applies the adjustment rules to a preliminary level. */
export function adjustLevel(
  preliminary: AbilityLevel,
  conditions: AssessmentConditions,
  options: AdjustmentOptions = DEFAULT_ADJUSTMENT_OPTIONS,
): AdjustmentResult {
  if (conditions.coma) {
    return {
      preliminaryLevel: preliminary,
      level: WORST_LEVEL,
      reasons: [
        reason(
          'COMA',
          '处于昏迷状态，直接评定为能力完全丧失（完全失能）',
          'In a coma: assessed as ability lost completely (level 4)',
        ),
      ],
    };
  }

  const reasons: AdjustmentReason[] = [];
  let steps = 0;

  const mental = conditions.dementia || conditions.mentalDisorder;
  if (conditions.dementia) {
    reasons.push(
      reason('DEMENTIA', '确诊为痴呆（F00–F03），能力等级提高一级', 'Diagnosed dementia (F00–F03): one level worse'),
    );
  }
  if (conditions.mentalDisorder) {
    reasons.push(
      reason(
        'MENTAL_DISORDER',
        '精神科专科医生诊断的其他精神和行为障碍（F04–F99），能力等级提高一级',
        'Other mental or behavioural disorder diagnosed by a psychiatrist (F04–F99): one level worse',
      ),
    );
  }
  // Dementia and another mental disorder are one clause of the standard: together they still count once.
  if (mental) steps += 1;

  const events = riskEventTotal(conditions);
  const risky = events >= RISK_EVENT_THRESHOLD;
  if (risky) {
    // A count of 3 stands for "3 or more", so the sum is then a lower bound.
    const atLeast = RISK_EVENT_KEYS.some((k) => conditions.riskEvents30d[k] >= MAX_RISK_EVENT_COUNT);
    reasons.push(
      reason(
        'RISK_EVENTS_30D',
        `近30天内发生${events}次${atLeast ? '及以上' : ''}照护风险事件（跌倒、噎食、自杀、自伤、走失等），能力等级提高一级`,
        `${atLeast ? 'At least ' : ''}${events} care-risk events in the last 30 days: one level worse`,
      ),
    );
    steps += 1;
  }

  if (mental && risky && !options.oneWorseRulesCumulative) {
    steps = 1;
    reasons.push(
      reason(
        'ONE_WORSE_NOT_CUMULATIVE',
        '上述提高一级的情形不累加，合计只提高一级',
        'The "one level worse" rules do not add up: one level worse in all',
      ),
    );
  }

  const raw = preliminary + steps;
  if (steps > 0 && raw > WORST_LEVEL) {
    reasons.push(
      reason('CAPPED_AT_WORST', '已为最重等级（能力完全丧失），不再提高', 'Already at the worst level (4): capped'),
    );
  }
  return { preliminaryLevel: preliminary, level: clampLevel(raw), reasons };
}
