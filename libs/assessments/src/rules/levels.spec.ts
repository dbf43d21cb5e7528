import {
  careGrade,
  checkCareGradeMapping,
  DEFAULT_CARE_GRADE_MAPPING,
  levelName,
  preliminaryLevel,
  type AbilityLevel,
  type CareGrade,
} from './levels';

describe('preliminary level from the total', () => {
  it.each<[number, AbilityLevel]>([
    [90, 0],
    [89, 1],
    [66, 1],
    [65, 2],
    [46, 2],
    [45, 3],
    [30, 3],
    [29, 4],
    [0, 4],
  ])('total %i → level %i', (total, level) => {
    expect(preliminaryLevel(total)).toBe(level);
  });

  it('covers every total 0–90 with levels that never improve as the total drops', () => {
    let prev: AbilityLevel = 0;
    for (let t = 90; t >= 0; t--) {
      const l = preliminaryLevel(t);
      expect(l).toBeGreaterThanOrEqual(prev);
      prev = l;
    }
  });

  it.each([-1, 91, 45.5, Number.NaN])('rejects total %p', (t) => {
    expect(() => preliminaryLevel(t)).toThrow(RangeError);
  });
});

describe('level names', () => {
  it.each<[AbilityLevel, string, string, string]>([
    [0, '能力完好', '能力完好', 'ability intact'],
    [1, '能力轻度受损（轻度失能）', '轻度失能', 'mildly impaired'],
    [2, '能力中度受损（中度失能）', '中度失能', 'moderately impaired'],
    [3, '能力重度受损（重度失能）', '重度失能', 'severely impaired'],
    [4, '能力完全丧失（完全失能）', '完全失能', 'ability lost completely'],
  ])('level %i is %s', (level, zh, zhShort, en) => {
    expect(levelName(level)).toEqual({ zh, zhShort, en });
  });
});

describe('care grade', () => {
  it.each<[AbilityLevel, CareGrade]>([
    [0, 'self_care'],
    [1, 'half_care'],
    [2, 'half_care'],
    [3, 'full_care'],
    [4, 'full_care'],
  ])('level %i → %s by default', (level, grade) => {
    expect(careGrade(level)).toBe(grade);
  });

  it('follows a configured mapping', () => {
    const mapping = { 0: 'self_care', 1: 'self_care', 2: 'half_care', 3: 'half_care', 4: 'full_care' } as const;
    expect(careGrade(1, mapping)).toBe('self_care');
    expect(careGrade(3, mapping)).toBe('half_care');
    expect(checkCareGradeMapping(mapping)).toEqual([]);
  });

  it('accepts the default mapping and rejects an incomplete, unknown or non-monotone one', () => {
    expect(checkCareGradeMapping(DEFAULT_CARE_GRADE_MAPPING)).toEqual([]);
    expect(checkCareGradeMapping({ 0: 'self_care', 1: 'half_care', 2: 'half_care', 3: 'full_care' })).toHaveLength(1);
    expect(
      checkCareGradeMapping({ 0: 'self_care', 1: 'lots', 2: 'half_care', 3: 'full_care', 4: 'full_care' }),
    ).toHaveLength(1);
    expect(
      checkCareGradeMapping({ 0: 'self_care', 1: 'full_care', 2: 'half_care', 3: 'full_care', 4: 'full_care' }),
    ).toEqual(['level 2 maps to a lighter grade (half_care) than level 1']);
  });
});
