import { mapLegacyLevel } from './legacy';

describe('legacy MZ/T 039-2013 levels', () => {
  it.each([
    ['能力完好', 0, 0],
    ['轻度失能', 1, 1],
    ['中度失能', 2, 2],
    ['重度失能', 3, 3],
  ] as const)('%s (legacy %i) maps by name to level %i, flagged for reassessment', (name, legacy, level) => {
    expect(mapLegacyLevel({ levelName: name })).toEqual({
      ok: true,
      value: { standard: 'MZ/T 039-2013', legacyLevel: legacy, legacyLevelName: name, level, needsReassessment: true },
    });
    expect(mapLegacyLevel({ levelName: name, legacyLevel: legacy }).ok).toBe(true);
  });

  it('accepts spaces and the long form with the name in brackets', () => {
    const r = mapLegacyLevel({ levelName: ' 能力中度受损（中度失能） ' });
    expect(r.ok && r.value.level).toBe(2);
    expect(mapLegacyLevel({ levelName: '重度 失能' }).ok).toBe(true);
  });

  it('rejects an unknown name (legacy has no 完全失能) and a number that disagrees with the name', () => {
    expect(mapLegacyLevel({ levelName: '完全失能' }).ok).toBe(false);
    expect(mapLegacyLevel({ levelName: 'mild' }).ok).toBe(false);
    const r = mapLegacyLevel({ levelName: '轻度失能', legacyLevel: 2 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('does not match');
  });
});
