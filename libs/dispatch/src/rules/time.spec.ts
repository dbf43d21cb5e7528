import {
  ceilToMinute,
  formatLocal,
  localDateOf,
  localDatesBetween,
  localInstant,
  localMidnight,
  parseHHMM,
} from './time';

describe('county time (UTC+8, no DST)', () => {
  it('parses HH:MM shifts, 24:00 included', () => {
    expect(parseHHMM('08:00')).toBe(480);
    expect(parseHHMM('17:30')).toBe(1050);
    expect(parseHHMM('24:00')).toBe(1440);
    for (const bad of ['8:00', '24:01', '25:00', '12:60', 'noon']) expect(() => parseHHMM(bad)).toThrow(RangeError);
  });

  it('maps local dates and times to instants', () => {
    expect(localMidnight('2026-12-01')).toBe(Date.parse('2026-11-30T16:00:00Z'));
    expect(localInstant('2026-12-01', '09:00')).toBe(Date.parse('2026-12-01T01:00:00Z'));
    expect(localInstant('2026-07-01', '09:00')).toBe(Date.parse('2026-07-01T01:00:00Z')); // no summer time
    expect(() => localMidnight('2026-13-01')).toThrow(RangeError);
  });

  it('gives the local date of an instant: 23:30 UTC is already tomorrow in the county', () => {
    expect(localDateOf(Date.parse('2026-12-01T23:30:00Z'))).toBe('2026-12-02');
    expect(localDateOf(Date.parse('2026-12-01T15:59:59Z'))).toBe('2026-12-01');
  });

  it('lists the local dates an interval touches (end exclusive)', () => {
    expect(localDatesBetween(localInstant('2026-12-01', '09:00'), localInstant('2026-12-01', '17:00'))).toEqual([
      '2026-12-01',
    ]);
    expect(localDatesBetween(localInstant('2026-12-01', '09:00'), localInstant('2026-12-03', '00:00'))).toEqual([
      '2026-12-01',
      '2026-12-02',
    ]);
    expect(localDatesBetween(localInstant('2026-12-01', '09:00'), localInstant('2026-12-01', '09:00'))).toEqual([]);
  });

  it('rounds up to the minute and prints with the offset', () => {
    const nine = localInstant('2026-12-01', '09:00');
    expect(ceilToMinute(nine)).toBe(nine);
    expect(ceilToMinute(nine + 1)).toBe(nine + 60_000);
    expect(formatLocal(nine)).toBe('2026-12-01T09:00:00+08:00');
  });
});
