import fc from 'fast-check';
import { RISK_EVENT_KEYS, type AssessmentConditions } from './adjustment';
import { DEFAULT_ASSESSMENT_RULES, evaluateAssessment, validateAndEvaluate } from './evaluate';
import { ITEMS, ITEM_KEYS, type AssessmentItems, type ItemKey } from './item-catalogue';
import { ABILITY_LEVELS, type AbilityLevel } from './levels';
import { itemsForLevel, itemsForTotal } from './samples';
import { normalizeConditions, type ConditionsInput } from './validate';

const at = new Date('2026-04-01T10:00:00+08:00');
const none = normalizeConditions({});

describe('itemsForTotal', () => {
  it('hits every total 0–90 with valid items', () => {
    for (let t = 0; t <= 90; t++) {
      const items = itemsForTotal(t);
      expect(validateAndEvaluate(items, {}, at)).toMatchObject({ ok: true, value: { total: t } });
    }
  });
  it.each<AbilityLevel>([0, 1, 2, 3, 4])('itemsForLevel(%i) scores at that level', (l) => {
    expect(evaluateAssessment(itemsForLevel(l), none, at).level).toBe(l);
  });
});

describe('evaluateAssessment', () => {
  it.each<[number, AbilityLevel, string]>([
    [90, 0, '能力完好'],
    [89, 1, '能力轻度受损（轻度失能）'],
    [66, 1, '能力轻度受损（轻度失能）'],
    [65, 2, '能力中度受损（中度失能）'],
    [46, 2, '能力中度受损（中度失能）'],
    [45, 3, '能力重度受损（重度失能）'],
    [30, 3, '能力重度受损（重度失能）'],
    [29, 4, '能力完全丧失（完全失能）'],
  ])('total %i → level %i %s', (total, level, zh) => {
    const r = evaluateAssessment(itemsForTotal(total), none, at);
    expect(r.total).toBe(total);
    expect(r.preliminaryLevel).toBe(level);
    expect(r.level).toBe(level);
    expect(r.levelName.zh).toBe(zh);
    expect(r.reasons).toEqual([]);
  });

  it('gives dimension scores', () => {
    const items = { ...itemsForTotal(90), eating: 2, stairs: 0, aggression: 0, vision: 1 };
    const r = evaluateAssessment(items, none, at);
    expect(r.scores).toEqual({ selfCare: 30, mobility: 12, mentalState: 27, perceptionSocial: 14 });
    expect(r.total).toBe(83);
  });

  it.each<[string, ConditionsInput, number, AbilityLevel, AbilityLevel]>([
    ['coma at 90', { coma: true }, 90, 0, 4],
    ['dementia at 66', { dementia: true }, 66, 1, 2],
    ['mental disorder at 65', { mentalDisorder: true }, 65, 2, 3],
    ['2 risk events at 46', { riskEvents30d: { falls: 1, choking: 1 } }, 46, 2, 3],
    ['dementia + risk events at 45', { dementia: true, riskEvents30d: { wandering: 2 } }, 45, 3, 4],
    ['dementia at 29 (capped)', { dementia: true }, 29, 4, 4],
  ])('%s', (_l, cond, total, prelim, level) => {
    const r = evaluateAssessment(itemsForTotal(total), normalizeConditions(cond), at);
    expect(r.preliminaryLevel).toBe(prelim);
    expect(r.level).toBe(level);
    expect(r.reasons.length).toBeGreaterThan(0);
  });

  it('applies the configured interval and care-grade mapping', () => {
    const r = evaluateAssessment(itemsForTotal(70), none, at, {
      ...DEFAULT_ASSESSMENT_RULES,
      validityMonths: 6,
      careGradeMapping: { 0: 'self_care', 1: 'self_care', 2: 'half_care', 3: 'full_care', 4: 'full_care' },
    });
    expect(r.careGrade).toBe('self_care');
    expect(r.validUntil.toISOString()).toBe(new Date('2026-10-01T10:00:00+08:00').toISOString());
    expect(evaluateAssessment(itemsForTotal(70), none, at).careGrade).toBe('half_care');
    expect(evaluateAssessment(itemsForTotal(70), none, at).validUntil.toISOString()).toBe(
      new Date('2027-04-01T10:00:00+08:00').toISOString(),
    );
  });
});

describe('validateAndEvaluate', () => {
  it('reports item and condition issues together', () => {
    const items: Record<string, unknown> = { ...itemsForTotal(90), stairs: 9 };
    delete items.vision;
    const r = validateAndEvaluate(items, { coma: 'no' }, at);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.field)).toEqual(['items.stairs', 'items.vision', 'conditions.coma']);
  });
});

// ── properties ──────────────────────────────────────────────────────────────
const itemsArb: fc.Arbitrary<AssessmentItems> = fc.record(
  Object.fromEntries(ITEM_KEYS.map((k) => [k, fc.integer({ min: 0, max: ITEMS[k].max })])) as Record<
    ItemKey,
    fc.Arbitrary<number>
  >,
);
const countArb = fc.integer({ min: 0, max: 3 });
const conditionsArb: fc.Arbitrary<AssessmentConditions> = fc.record({
  coma: fc.boolean(),
  dementia: fc.boolean(),
  mentalDisorder: fc.boolean(),
  riskEvents30d: fc.record(
    Object.fromEntries(RISK_EVENT_KEYS.map((k) => [k, countArb])) as Record<
      (typeof RISK_EVENT_KEYS)[number],
      fc.Arbitrary<number>
    >,
  ),
});
const cumulativeArb = fc.boolean();

describe('properties', () => {
  it('the final level always lies in 0–4, never better than the preliminary level', () => {
    fc.assert(
      fc.property(itemsArb, conditionsArb, cumulativeArb, (items, conditions, cumulative) => {
        const r = evaluateAssessment(items, conditions, at, {
          ...DEFAULT_ASSESSMENT_RULES,
          oneWorseRulesCumulative: cumulative,
        });
        expect((ABILITY_LEVELS as readonly number[]).includes(r.level)).toBe(true);
        expect(r.level).toBeGreaterThanOrEqual(r.preliminaryLevel);
        expect(r.total).toBe(Object.values(r.scores).reduce((a, b) => a + b, 0));
        expect(r.total).toBeGreaterThanOrEqual(0);
        expect(r.total).toBeLessThanOrEqual(90);
        if (!cumulative) expect(r.level - r.preliminaryLevel).toBeLessThanOrEqual(conditions.coma ? 4 : 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('the final level never gets better as any item score drops', () => {
    const drop = fc
      .tuple(itemsArb, fc.constantFrom(...ITEM_KEYS), fc.integer({ min: 1, max: 4 }))
      .map(([items, key, by]) => ({ items, key, lowered: { ...items, [key]: Math.max(0, items[key] - by) } }));
    fc.assert(
      fc.property(drop, conditionsArb, cumulativeArb, ({ items, lowered }, conditions, cumulative) => {
        const cfg = { ...DEFAULT_ASSESSMENT_RULES, oneWorseRulesCumulative: cumulative };
        const before = evaluateAssessment(items, conditions, at, cfg);
        const after = evaluateAssessment(lowered, conditions, at, cfg);
        expect(after.total).toBeLessThanOrEqual(before.total);
        expect(after.preliminaryLevel).toBeGreaterThanOrEqual(before.preliminaryLevel);
        expect(after.level).toBeGreaterThanOrEqual(before.level);
      }),
      { numRuns: 2000 },
    );
  });

  it('adding a condition never makes the level better', () => {
    fc.assert(
      fc.property(
        itemsArb,
        conditionsArb,
        fc.constantFrom('coma', 'dementia', 'mentalDisorder', ...RISK_EVENT_KEYS),
        (items, conditions, what) => {
          const worse: AssessmentConditions =
            what === 'coma' || what === 'dementia' || what === 'mentalDisorder'
              ? { ...conditions, [what]: true }
              : {
                  ...conditions,
                  riskEvents30d: {
                    ...conditions.riskEvents30d,
                    [what]: Math.min(3, conditions.riskEvents30d[what] + 1),
                  },
                };
          expect(evaluateAssessment(items, worse, at).level).toBeGreaterThanOrEqual(
            evaluateAssessment(items, conditions, at).level,
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('accepts exactly the items within their ranges', () => {
    fc.assert(
      fc.property(itemsArb, fc.constantFrom(...ITEM_KEYS), fc.integer({ min: -5, max: 10 }), (items, key, v) => {
        const r = validateAndEvaluate({ ...items, [key]: v }, {}, at);
        const inRange = v >= 0 && v <= ITEMS[key].max;
        expect(r.ok).toBe(inRange);
        if (!r.ok) expect(r.issues.map((i) => i.field)).toEqual([`items.${key}`]);
      }),
    );
  });
});
