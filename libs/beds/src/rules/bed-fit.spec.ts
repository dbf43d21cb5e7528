import {
  evaluateBedFit,
  naturalCompare,
  needsNursingBed,
  nursingBedCheck,
  recommendBeds,
  type FitBed,
  type FitLevel,
  type FitResident,
} from './bed-fit';

const bed = (id: string, p: Partial<FitBed> = {}): FitBed => ({ id, type: 'ordinary', room: '101', label: id, ...p });
const male = (level: FitLevel | null): FitResident => ({ gender: 'male', level });
const ids = (r: { fitting: ReadonlyArray<{ bed: FitBed }> }): string[] => r.fitting.map((f) => f.bed.id);

describe('needsNursingBed / nursingBedCheck (admission rule)', () => {
  it.each<[FitLevel | null, boolean]>([
    [null, false],
    [0, false],
    [1, false],
    [2, true],
    [3, true],
    [4, true],
  ])('level %p needs nursing: %p', (level, needs) => {
    expect(needsNursingBed(level)).toBe(needs);
  });

  it('follows a configured threshold', () => {
    expect(needsNursingBed(2, { nursingBedFromLevel: 3 })).toBe(false);
    expect(needsNursingBed(3, { nursingBedFromLevel: 3 })).toBe(true);
  });

  it('refuses an ordinary bed at level 2+ without override, and accepts with one', () => {
    expect(nursingBedCheck(2, 'ordinary', undefined)).toMatchObject({ ok: false, code: 'NURSING_BED_REQUIRED' });
    expect(nursingBedCheck(4, 'ordinary', '   ')).toMatchObject({ ok: false });
    expect(nursingBedCheck(3, 'ordinary', '家属要求与配偶同住')).toEqual({ ok: true, overridden: true });
    expect(nursingBedCheck(3, 'nursing', undefined)).toEqual({ ok: true, overridden: false });
    expect(nursingBedCheck(1, 'ordinary', null)).toEqual({ ok: true, overridden: false });
    expect(nursingBedCheck(null, 'ordinary', undefined)).toEqual({ ok: true, overridden: false });
    // an override reason that was not needed is not marked as used
    expect(nursingBedCheck(0, 'ordinary', 'x')).toEqual({ ok: true, overridden: false });
  });
});

describe('evaluateBedFit', () => {
  it('level ≥ 2: only nursing beds fit', () => {
    const f = evaluateBedFit(male(2), bed('o', { type: 'ordinary' }));
    expect(f.fits).toBe(false);
    expect(f.reasons.map((r) => r.code)).toEqual(['NURSING_BED_REQUIRED']);
    const n = evaluateBedFit(male(2), bed('n', { type: 'nursing' }));
    expect(n.fits).toBe(true);
    expect(n.reasons.map((r) => r.code)).toEqual(['NURSING_BED_NEEDED', 'NO_GENDER_RESTRICTION']);
  });

  it('gender-restricted beds only for that gender', () => {
    expect(
      evaluateBedFit({ gender: 'female', level: 0 }, bed('m', { gender: 'male' })).reasons.map((r) => r.code),
    ).toEqual(['GENDER_MISMATCH']);
    expect(evaluateBedFit({ gender: null, level: 0 }, bed('m', { gender: 'male' })).reasons.map((r) => r.code)).toEqual(
      ['GENDER_UNKNOWN'],
    );
    expect(evaluateBedFit({ gender: null, level: 0 }, bed('u')).fits).toBe(true);
    expect(evaluateBedFit(male(0), bed('m', { gender: 'male' })).reasons.map((r) => r.code)).toContain('GENDER_MATCH');
  });

  it('lists every reason a bed does not fit', () => {
    const f = evaluateBedFit({ gender: 'female', level: 3 }, bed('x', { gender: 'male', status: 'occupied' }));
    expect(f.reasons.map((r) => r.code)).toEqual(['NOT_VACANT', 'GENDER_MISMATCH', 'NURSING_BED_REQUIRED']);
  });

  it('flags a resident without a valid assessment', () => {
    expect(evaluateBedFit(male(null), bed('o')).reasons.map((r) => r.code)).toEqual([
      'ORDINARY_BED_PREFERRED',
      'NO_VALID_ASSESSMENT',
      'NO_GENDER_RESTRICTION',
    ]);
  });

  it('gives Chinese and English text with every reason', () => {
    for (const r of evaluateBedFit(male(1), bed('n', { type: 'nursing' })).reasons) {
      expect(r.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(r.en).toMatch(/[a-z]/);
    }
  });
});

describe('recommendBeds', () => {
  const beds: FitBed[] = [
    bed('n-101-1', { type: 'nursing', room: '101', label: '1' }),
    bed('o-102-1', { type: 'ordinary', room: '102', label: '1' }),
    bed('o-102-2m', { type: 'ordinary', room: '102', label: '2', gender: 'male' }),
    bed('n-103-1f', { type: 'nursing', room: '103', label: '1', gender: 'female' }),
    bed('n-101-2m', { type: 'nursing', room: '101', label: '2', gender: 'male' }),
  ];

  it('level ≥ 2: nursing beds only, own-gender restricted first, then room/label', () => {
    const r = recommendBeds(male(3), beds);
    expect(ids(r)).toEqual(['n-101-2m', 'n-101-1']);
    expect(r.excluded.map((e) => [e.bed.id, e.reasons.map((x) => x.code)])).toEqual([
      ['o-102-1', ['NURSING_BED_REQUIRED']],
      ['o-102-2m', ['NURSING_BED_REQUIRED']],
      ['n-103-1f', ['GENDER_MISMATCH']],
    ]);
  });

  it.each<[FitLevel | null]>([[0], [1], [null]])('level %p: ordinary beds before nursing beds', (level) => {
    const r = recommendBeds(male(level), beds);
    expect(ids(r)).toEqual(['o-102-2m', 'o-102-1', 'n-101-2m', 'n-101-1']);
    expect(r.fitting[2].reasons.map((x) => x.code)).toContain('NURSING_BED_KEPT_FOR_NEED');
  });

  it('a woman at level 2 gets the women’s nursing bed first', () => {
    expect(ids(recommendBeds({ gender: 'female', level: 2 }, beds))).toEqual(['n-103-1f', 'n-101-1']);
  });

  it('returns nothing fitting when only ordinary beds are vacant for level 4', () => {
    const r = recommendBeds(male(4), [bed('a'), bed('b')]);
    expect(r.fitting).toEqual([]);
    expect(r.excluded).toHaveLength(2);
  });

  it('breaks ties by building, floor, room, label in natural order, then id', () => {
    const same = (id: string, p: Partial<FitBed>): FitBed => bed(id, { type: 'ordinary', ...p });
    const r = recommendBeds(male(0), [
      same('b2', { building: 'B', floor: 1, room: '101', label: '1' }),
      same('f2', { building: 'A', floor: 2, room: '201', label: '1' }),
      same('r10', { building: 'A', floor: 1, room: '110', label: '1' }),
      same('r9', { building: 'A', floor: 1, room: '19', label: '1' }),
      same('l10', { building: 'A', floor: 1, room: '19', label: '10' }),
      same('l2', { building: 'A', floor: 1, room: '19', label: '2' }),
      same('nofloor', { building: 'A', floor: null, room: '1', label: '1' }),
      same('z-dup', { building: 'A', floor: 1, room: '19', label: '2' }),
    ]);
    expect(ids(r)).toEqual(['r9', 'l2', 'z-dup', 'l10', 'r10', 'f2', 'nofloor', 'b2']);
  });

  it('honours a configured policy', () => {
    expect(ids(recommendBeds(male(2), beds, { nursingBedFromLevel: 3 }))[0]).toBe('o-102-2m');
  });
});

describe('naturalCompare', () => {
  it.each([
    ['2', '10', -1],
    ['10', '2', 1],
    ['A2', 'A10', -1],
    ['A-1', 'B-1', -1],
    ['101', '101', 0],
    ['2', '02', -1],
    ['', 'a', -1],
    ['床1', '床2', -1],
  ] as const)('%s vs %s', (a, b, sign) => {
    expect(Math.sign(naturalCompare(a, b))).toBe(sign);
  });
});

describe('a bed reserved for the resident', () => {
  it('comes first, with its reason', () => {
    const r = recommendBeds(male(0), [
      bed('o1', { room: '100' }),
      bed('n9', { type: 'nursing', room: '999', reservedForResident: true }),
    ]);
    expect(ids(r)).toEqual(['n9', 'o1']);
    expect(r.fitting[0].reasons.map((x) => x.code)[0]).toBe('RESERVED_FOR_RESIDENT');
  });
  it('fits with status reserved only when reserved for this resident', () => {
    expect(evaluateBedFit(male(0), bed('r', { status: 'reserved', reservedForResident: true })).fits).toBe(true);
    expect(evaluateBedFit(male(0), bed('r', { status: 'reserved' })).reasons.map((x) => x.code)).toEqual([
      'NOT_VACANT',
    ]);
  });
  it('still has to fit', () => {
    const r = recommendBeds(male(3), [bed('o1', { reservedForResident: true })]);
    expect(r.fitting).toEqual([]);
  });
});
