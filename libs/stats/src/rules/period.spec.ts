import { countyMonth, monthsBetween, previousMonth, statsPeriod } from './period';

describe('statsPeriod', () => {
  const now = new Date('2026-05-14T02:00:00Z'); // 10:00 county time, 14 May 2026

  it('a closed month is seen at the end of its last day, county time', () => {
    const p = statsPeriod('2020-12', now);
    expect(p.start.toISOString()).toBe('2020-11-30T16:00:00.000Z');
    expect(p.end.toISOString()).toBe('2020-12-31T16:00:00.000Z');
    expect(p.asOf.toISOString()).toBe('2020-12-31T15:59:59.999Z');
    expect(p.asOfDate).toBe('2020-12-31');
    expect(p.elderBornOnOrBefore).toBe('1960-12-31');
    expect(p.closed).toBe(true);
  });

  it('the running month is seen as of now', () => {
    const p = statsPeriod('2026-05', now);
    expect(p.asOf).toEqual(now);
    expect(p.asOfDate).toBe('2026-05-14');
    expect(p.elderBornOnOrBefore).toBe('1966-05-14');
    expect(p.closed).toBe(false);
  });

  it('a leap day: 60 on 29 Feb 2024 means born on or before 29 Feb 1964', () => {
    expect(statsPeriod('2024-02', now).elderBornOnOrBefore).toBe('1964-02-29');
  });

  it('refuses a malformed or future month', () => {
    expect(() => statsPeriod('2026-13', now)).toThrow(RangeError);
    expect(() => statsPeriod('2026-5', now)).toThrow(RangeError);
    expect(() => statsPeriod('2026-06', now)).toThrow(/not started/);
  });

  it('month helpers', () => {
    expect(countyMonth(new Date('2026-04-30T16:30:00Z'))).toBe('2026-05');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-03', '2026-02')).toEqual([]);
  });
});
