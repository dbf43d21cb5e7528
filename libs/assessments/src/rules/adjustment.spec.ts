import { adjustLevel, riskEventTotal, type AdjustmentReasonCode, type AssessmentConditions } from './adjustment';
import type { AbilityLevel } from './levels';
import { normalizeConditions, type ConditionsInput } from './validate';

const none = normalizeConditions({});
const c = (p: ConditionsInput): AssessmentConditions => normalizeConditions(p);
const codes = (r: ReturnType<typeof adjustLevel>): AdjustmentReasonCode[] => r.reasons.map((x) => x.code);

describe('level adjustment', () => {
  it.each<AbilityLevel>([0, 1, 2, 3, 4])('no conditions keeps preliminary level %i with no reasons', (l) => {
    const r = adjustLevel(l, none);
    expect(r).toEqual({ preliminaryLevel: l, level: l, reasons: [] });
  });

  describe('coma → 4 whatever the score', () => {
    it.each<AbilityLevel>([0, 1, 2, 3, 4])('from %i', (l) => {
      const r = adjustLevel(l, c({ coma: true, dementia: true, riskEvents30d: { falls: 3 } }));
      expect(r.level).toBe(4);
      expect(r.preliminaryLevel).toBe(l);
      expect(codes(r)).toEqual(['COMA']);
      expect(r.reasons[0].zh).toContain('昏迷');
    });
  });

  describe('dementia or mental disorder → one worse', () => {
    it.each<[AbilityLevel, AbilityLevel]>([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
    ])('dementia: %i → %i', (from, to) => {
      const r = adjustLevel(from, c({ dementia: true }));
      expect(r.level).toBe(to);
      expect(codes(r)).toEqual(['DEMENTIA']);
      expect(r.reasons[0].zh).toContain('痴呆');
    });
    it.each<[AbilityLevel, AbilityLevel]>([
      [0, 1],
      [2, 3],
    ])('mental disorder: %i → %i', (from, to) => {
      const r = adjustLevel(from, c({ mentalDisorder: true }));
      expect(r.level).toBe(to);
      expect(codes(r)).toEqual(['MENTAL_DISORDER']);
    });
    it('dementia and a mental disorder together are still one level', () => {
      const r = adjustLevel(1, c({ dementia: true, mentalDisorder: true }));
      expect(r.level).toBe(2);
      expect(codes(r)).toEqual(['DEMENTIA', 'MENTAL_DISORDER']);
    });
  });

  describe('risk events in the last 30 days, all types summed', () => {
    it.each<[string, ConditionsInput['riskEvents30d'], AbilityLevel]>([
      ['none', {}, 1],
      ['one fall', { falls: 1 }, 1],
      ['two falls', { falls: 2 }, 2],
      ['one fall and one choking', { falls: 1, choking: 1 }, 2],
      ['one wandering and one other', { wandering: 1, other: 1 }, 2],
      ['one self-harm and one choking', { suicideOrSelfHarm: 1, choking: 1 }, 2],
      ['3 or more falls', { falls: 3 }, 2],
      ['every type three times', { falls: 3, wandering: 3, choking: 3, suicideOrSelfHarm: 3, other: 3 }, 2],
    ])('%s from level 1', (_label, risk, expected) => {
      const r = adjustLevel(1, c({ riskEvents30d: risk }));
      expect(r.level).toBe(expected);
      expect(codes(r)).toEqual(expected === 1 ? [] : ['RISK_EVENTS_30D']);
    });

    it('says "at least" when a count stands for 3 or more', () => {
      expect(adjustLevel(0, c({ riskEvents30d: { falls: 3 } })).reasons[0].zh).toContain('3次及以上');
      expect(adjustLevel(0, c({ riskEvents30d: { falls: 1, other: 1 } })).reasons[0].zh).toContain('2次照护风险事件');
    });

    it('sums every type', () => {
      expect(
        riskEventTotal(c({ riskEvents30d: { falls: 1, wandering: 2, choking: 3, suicideOrSelfHarm: 1, other: 1 } })),
      ).toBe(8);
    });
  });

  describe('the two "one worse" rules do not add up', () => {
    it.each<[AbilityLevel, AbilityLevel]>([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
    ])('dementia + 2 risk events: %i → %i', (from, to) => {
      const r = adjustLevel(from, c({ dementia: true, riskEvents30d: { falls: 2 } }));
      expect(r.level).toBe(to);
      expect(codes(r)).toEqual(['DEMENTIA', 'RISK_EVENTS_30D', 'ONE_WORSE_NOT_CUMULATIVE']);
    });

    it('unless configured to add up', () => {
      const r = adjustLevel(1, c({ mentalDisorder: true, riskEvents30d: { falls: 2 } }), {
        oneWorseRulesCumulative: true,
      });
      expect(r.level).toBe(3);
      expect(codes(r)).toEqual(['MENTAL_DISORDER', 'RISK_EVENTS_30D']);
    });
  });

  describe('capped at 4', () => {
    it('dementia at level 4 stays 4 and says so', () => {
      const r = adjustLevel(4, c({ dementia: true }));
      expect(r.level).toBe(4);
      expect(codes(r)).toEqual(['DEMENTIA', 'CAPPED_AT_WORST']);
    });
    it('cumulative rules from 3 stop at 4', () => {
      const r = adjustLevel(3, c({ dementia: true, riskEvents30d: { other: 2 } }), { oneWorseRulesCumulative: true });
      expect(r.level).toBe(4);
      expect(codes(r)).toEqual(['DEMENTIA', 'RISK_EVENTS_30D', 'CAPPED_AT_WORST']);
    });
  });

  it('gives every reason Chinese and English text', () => {
    const r = adjustLevel(2, c({ dementia: true, mentalDisorder: true, riskEvents30d: { falls: 2 } }));
    for (const x of r.reasons) {
      expect(x.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(x.en.length).toBeGreaterThan(5);
    }
  });
});
