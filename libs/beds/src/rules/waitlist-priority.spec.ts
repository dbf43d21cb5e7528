import { rankWaitlist, waitlistPriority, type WaitlistCandidate, type WaitlistLevel } from './waitlist-priority';

const applied = new Date('2026-01-01T09:00:00+08:00');
let seq = 0;
function cand(p: Partial<WaitlistCandidate> = {}): WaitlistCandidate {
  seq += 1;
  return { id: `e${String(seq).padStart(3, '0')}`, categories: [], level: 0, age: 70, appliedAt: applied, ...p };
}
const codes = (c: WaitlistCandidate): string[] => waitlistPriority(c).reasons.map((r) => r.code);

describe('waitlist tiers', () => {
  describe('tier 1: destitute who cannot care for themselves (valid level ≥ 2)', () => {
    it.each<WaitlistLevel>([2, 3, 4])('destitute at level %i', (level) => {
      const c = cand({ categories: ['destitute'], level });
      expect(waitlistPriority(c).tier).toBe(1);
      expect(codes(c)).toEqual(['DESTITUTE_NEEDS_CARE']);
      expect(waitlistPriority(c).reasons[0].zh).toContain('特困');
    });
    it.each<[WaitlistLevel | null]>([[0], [1], [null]])('destitute at level %p is not tier 1', (level) => {
      expect(waitlistPriority(cand({ categories: ['destitute'], level })).tier).toBe(4);
    });
    it('destitute without a valid assessment gets a hint', () => {
      const p = waitlistPriority(cand({ categories: ['destitute'], level: null }));
      expect(p.hints.map((h) => h.code)).toEqual(['NO_VALID_ASSESSMENT']);
    });
    it('tier 1 wins over tier 2 categories', () => {
      expect(waitlistPriority(cand({ categories: ['special_contribution', 'destitute'], level: 2 })).tier).toBe(1);
    });
  });

  describe('tier 2: family_planning_special or special_contribution', () => {
    it.each([
      [['family_planning_special'], ['FAMILY_PLANNING_SPECIAL']],
      [['special_contribution'], ['SPECIAL_CONTRIBUTION']],
      [
        ['special_contribution', 'family_planning_special'],
        ['FAMILY_PLANNING_SPECIAL', 'SPECIAL_CONTRIBUTION'],
      ],
      [['family_planning_special', 'low_income', 'living_alone'], ['FAMILY_PLANNING_SPECIAL']],
    ])('%p', (categories, reasons) => {
      const c = cand({ categories, level: null, age: 61 });
      expect(waitlistPriority(c).tier).toBe(2);
      expect(codes(c)).toEqual(reasons);
    });
  });

  describe('tier 3: economic hardship or low income, and alone, impaired, disabled or 80+', () => {
    it.each<[string[], WaitlistLevel | null, number, string[]]>([
      [['economic_hardship', 'living_alone'], 0, 65, ['ECONOMIC_HARDSHIP', 'LIVING_ALONE']],
      [['low_income', 'living_alone'], null, 65, ['LOW_INCOME', 'LIVING_ALONE']],
      [['low_income'], 1, 65, ['LOW_INCOME', 'IMPAIRED']],
      [['economic_hardship'], 4, 65, ['ECONOMIC_HARDSHIP', 'IMPAIRED']],
      [['economic_hardship', 'disabled'], 0, 65, ['ECONOMIC_HARDSHIP', 'DISABLED']],
      [['low_income'], 0, 80, ['LOW_INCOME', 'AGED_80_PLUS']],
      [
        ['low_income', 'economic_hardship', 'living_alone', 'disabled'],
        2,
        91,
        ['ECONOMIC_HARDSHIP', 'LOW_INCOME', 'LIVING_ALONE', 'IMPAIRED', 'DISABLED', 'AGED_80_PLUS'],
      ],
      // destitute at level 1 who is also low income and alone: tier 3, not tier 1
      [['destitute', 'low_income', 'living_alone'], 1, 70, ['LOW_INCOME', 'LIVING_ALONE', 'IMPAIRED']],
    ])('%p level %p age %i', (categories, level, age, reasons) => {
      const c = cand({ categories, level, age });
      expect(waitlistPriority(c).tier).toBe(3);
      expect(codes(c)).toEqual(reasons);
    });

    it.each<[string[], WaitlistLevel | null, number]>([
      [['low_income'], 0, 79], // poor, but none of the extras
      [['economic_hardship'], null, 79], // no valid assessment does not count as impaired
      [['living_alone', 'disabled'], 3, 90], // extras, but not poor
      [['empty_nest', 'left_behind'], 0, 70],
      [[], 4, 100],
    ])('%p level %p age %i falls to tier 4', (categories, level, age) => {
      const c = cand({ categories, level, age });
      expect(waitlistPriority(c).tier).toBe(4);
      expect(codes(c)).toEqual(['GENERAL']);
    });
  });
});

describe('waitlist order', () => {
  it('orders by tier first', () => {
    const t4 = cand({ id: 't4', level: 4, age: 99 });
    const t3 = cand({ id: 't3', categories: ['low_income', 'living_alone'], level: 0 });
    const t2 = cand({ id: 't2', categories: ['special_contribution'], level: 0 });
    const t1 = cand({ id: 't1', categories: ['destitute'], level: 2, age: 60 });
    const ranked = rankWaitlist([t4, t3, t2, t1]);
    expect(ranked.map((r) => [r.entry.id, r.tier, r.position])).toEqual([
      ['t1', 1, 1],
      ['t2', 2, 2],
      ['t3', 3, 3],
      ['t4', 4, 4],
    ]);
  });

  it('inside a tier: worse level first, no valid assessment last', () => {
    const ids = rankWaitlist([
      cand({ id: 'none', level: null, age: 95 }),
      cand({ id: 'l0', level: 0, age: 95 }),
      cand({ id: 'l3', level: 3, age: 60 }),
      cand({ id: 'l1', level: 1, age: 95 }),
    ]).map((r) => r.entry.id);
    expect(ids).toEqual(['l3', 'l1', 'l0', 'none']);
  });

  it('same level: older first', () => {
    const ids = rankWaitlist([
      cand({ id: 'a70', level: 2, age: 70, appliedAt: new Date('2025-01-01T00:00:00Z') }),
      cand({ id: 'a85', level: 2, age: 85, appliedAt: new Date('2026-06-01T00:00:00Z') }),
    ]).map((r) => r.entry.id);
    expect(ids).toEqual(['a85', 'a70']);
  });

  it('same level and age: earlier application first, then id', () => {
    const ids = rankWaitlist([
      cand({ id: 'late', appliedAt: new Date('2026-03-02T00:00:00Z') }),
      cand({ id: 'b-early', appliedAt: new Date('2026-03-01T00:00:00Z') }),
      cand({ id: 'a-early', appliedAt: new Date('2026-03-01T00:00:00Z') }),
    ]).map((r) => r.entry.id);
    expect(ids).toEqual(['a-early', 'b-early', 'late']);
  });

  it('is the same whatever the input order', () => {
    const list = [
      cand({ id: 'x1', categories: ['destitute'], level: 3, age: 70 }),
      cand({ id: 'x2', categories: ['destitute'], level: 3, age: 75 }),
      cand({ id: 'x3', categories: ['low_income'], level: 2, age: 60 }),
      cand({ id: 'x4', categories: ['family_planning_special'], level: null, age: 88 }),
      cand({ id: 'x5', level: 4, age: 66 }),
    ];
    const expected = ['x2', 'x1', 'x4', 'x3', 'x5'];
    expect(rankWaitlist(list).map((r) => r.entry.id)).toEqual(expected);
    expect(rankWaitlist([...list].reverse()).map((r) => r.entry.id)).toEqual(expected);
  });

  it('keeps the caller’s extra fields on each entry', () => {
    const [r] = rankWaitlist([{ ...cand(), residentId: 'r-1' }]);
    expect(r.entry.residentId).toBe('r-1');
  });
});
