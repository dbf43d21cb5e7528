import { ageOn, countyDate, countyInstant, toCountyIso } from './time';

describe('county time', () => {
  it('renders instants with the +08:00 offset', () => {
    expect(toCountyIso(new Date('2026-12-01T01:00:00Z'))).toBe('2026-12-01T09:00:00+08:00');
    expect(toCountyIso(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12-01T00:30:00+08:00');
    expect(toCountyIso(null)).toBeNull();
  });
  it('takes the county date, not the UTC one', () => {
    expect(countyDate(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12-01');
    expect(countyInstant('2026-12-01', '09:00').toISOString()).toBe('2026-12-01T01:00:00.000Z');
  });
  it('counts whole years of age', () => {
    expect(ageOn('1945-01-01', '2026-12-31')).toBe(81);
    expect(ageOn('1945-12-31', '2026-12-30')).toBe(80);
    expect(ageOn('1945-12-31', '2026-12-31')).toBe(81);
  });
});
