/**
 * Validation of the raw `items` and `conditions` of an assessment, before any scoring.
 * Every problem is reported (never only the first), each naming the offending key, so a 400 can list them all.
 */
import { ITEMS, ITEM_KEYS, isItemKey, type AssessmentItems } from './item-catalogue';
import { RISK_EVENT_KEYS, MAX_RISK_EVENT_COUNT, type AssessmentConditions } from './adjustment';

export type IssueCode = 'MISSING' | 'NOT_INTEGER' | 'OUT_OF_RANGE' | 'UNKNOWN_FIELD' | 'NOT_AN_OBJECT' | 'NOT_BOOLEAN';

export interface ValidationIssue {
  /** Path of the offending field, e.g. `items.stairs` or `conditions.riskEvents30d.falls`. */
  readonly field: string;
  readonly code: IssueCode;
  readonly message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return Array.isArray(v) ? 'an array' : 'an object';
}

/**
 * Checks an `items` object: every one of the 26 items present, an integer within the item's own range, and no
 * unknown keys. Returns the typed items or the list of issues (one per offending item, in catalogue order).
 */
export function validateItems(input: unknown, path = 'items'): Validated<AssessmentItems> {
  const at = (key: string): string => (path ? `${path}.${key}` : key);
  if (!isPlainObject(input)) {
    const field = path || 'items';
    return {
      ok: false,
      issues: [{ field, code: 'NOT_AN_OBJECT', message: `${field} must be an object with one score per item` }],
    };
  }
  const issues: ValidationIssue[] = [];
  for (const key of ITEM_KEYS) {
    const def = ITEMS[key];
    const field = at(key);
    const range = `${def.min}–${def.max}`;
    const label = `${field} (${def.zh})`;
    const v = input[key];
    if (v === undefined || v === null) {
      issues.push({ field, code: 'MISSING', message: `${label} is missing: give an integer ${range}` });
    } else if (typeof v !== 'number' || !Number.isInteger(v)) {
      issues.push({ field, code: 'NOT_INTEGER', message: `${label} must be an integer ${range}, got ${describe(v)}` });
    } else if (v < def.min || v > def.max) {
      issues.push({ field, code: 'OUT_OF_RANGE', message: `${label} must be between ${range}, got ${v}` });
    }
  }
  for (const key of Object.keys(input)) {
    if (!isItemKey(key)) {
      issues.push({ field: at(key), code: 'UNKNOWN_FIELD', message: `${at(key)} is not an item of GB/T 42195-2022` });
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  const value = Object.fromEntries(ITEM_KEYS.map((k) => [k, input[k] as number])) as AssessmentItems;
  return { ok: true, value };
}

/** The offending item keys only (`stairs`, `vision`…), for callers that just need the names. */
export function invalidItemKeys(input: unknown): string[] {
  const r = validateItems(input);
  return r.ok ? [] : r.issues.map((i) => i.field.replace(/^items\.?/, '')).filter((k) => k.length > 0);
}

/**
 * Checks a `conditions` object. `coma`, `dementia`, `mentalDisorder` are booleans (absent means false);
 * `riskEvents30d` holds counts 0–3 (3 means "3 or more") for falls, wandering, choking, suicideOrSelfHarm, other
 * (absent object or absent count means 0). Unknown keys are rejected.
 */
export function validateConditions(input: unknown, path = 'conditions'): Validated<AssessmentConditions> {
  const at = (key: string): string => (path ? `${path}.${key}` : key);
  if (input === undefined || input === null) {
    return { ok: true, value: normalizeConditions({}) };
  }
  if (!isPlainObject(input)) {
    const field = path || 'conditions';
    return { ok: false, issues: [{ field, code: 'NOT_AN_OBJECT', message: `${field} must be an object` }] };
  }
  const issues: ValidationIssue[] = [];
  const flags = ['coma', 'dementia', 'mentalDisorder'] as const;
  for (const f of flags) {
    const v = input[f];
    if (v !== undefined && typeof v !== 'boolean') {
      issues.push({ field: at(f), code: 'NOT_BOOLEAN', message: `${at(f)} must be true or false, got ${describe(v)}` });
    }
  }
  const risk = input.riskEvents30d;
  const riskPath = at('riskEvents30d');
  if (risk !== undefined && risk !== null) {
    if (!isPlainObject(risk)) {
      issues.push({ field: riskPath, code: 'NOT_AN_OBJECT', message: `${riskPath} must be an object of counts` });
    } else {
      for (const k of RISK_EVENT_KEYS) {
        const v = risk[k];
        const field = `${riskPath}.${k}`;
        if (v === undefined) continue;
        if (typeof v !== 'number' || !Number.isInteger(v)) {
          issues.push({
            field,
            code: 'NOT_INTEGER',
            message: `${field} must be an integer 0–${MAX_RISK_EVENT_COUNT}, got ${describe(v)}`,
          });
        } else if (v < 0 || v > MAX_RISK_EVENT_COUNT) {
          issues.push({
            field,
            code: 'OUT_OF_RANGE',
            message: `${field} must be between 0–${MAX_RISK_EVENT_COUNT} (${MAX_RISK_EVENT_COUNT} means ${MAX_RISK_EVENT_COUNT} or more), got ${v}`,
          });
        }
      }
      for (const k of Object.keys(risk)) {
        if (!(RISK_EVENT_KEYS as readonly string[]).includes(k)) {
          issues.push({
            field: `${riskPath}.${k}`,
            code: 'UNKNOWN_FIELD',
            message: `${riskPath}.${k} is not a known risk event type`,
          });
        }
      }
    }
  }
  for (const k of Object.keys(input)) {
    if (!(flags as readonly string[]).includes(k) && k !== 'riskEvents30d') {
      issues.push({ field: at(k), code: 'UNKNOWN_FIELD', message: `${at(k)} is not a known condition` });
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: normalizeConditions(input as ConditionsInput) };
}

/** Fills absent flags with false and absent counts with 0. */
export interface ConditionsInput {
  coma?: boolean;
  dementia?: boolean;
  mentalDisorder?: boolean;
  riskEvents30d?: Partial<AssessmentConditions['riskEvents30d']> | null;
}

export function normalizeConditions(input: ConditionsInput): AssessmentConditions {
  const r = input.riskEvents30d ?? {};
  return {
    coma: input.coma ?? false,
    dementia: input.dementia ?? false,
    mentalDisorder: input.mentalDisorder ?? false,
    riskEvents30d: {
      falls: r.falls ?? 0,
      wandering: r.wandering ?? 0,
      choking: r.choking ?? 0,
      suicideOrSelfHarm: r.suicideOrSelfHarm ?? 0,
      other: r.other ?? 0,
    },
  };
}
