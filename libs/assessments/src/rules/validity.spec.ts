import { addMonthsCountyTime } from '@care/core/time';
import { isValidAt, validityStatus, validUntil } from './validity';

const d = (s: string): Date => new Date(s);

describe('validUntil = assessedAt + interval months (county time)', () => {
  it.each([
    ['2026-03-15T10:00:00+08:00', 12, '2027-03-15T10:00:00+08:00'],
    ['2026-03-15T10:00:00+08:00', 6, '2026-09-15T10:00:00+08:00'],
    // 00:30 in Shanghai is still the previous day in UTC: the county date decides.
    ['2026-01-01T00:30:00+08:00', 12, '2027-01-01T00:30:00+08:00'],
    ['2026-12-31T23:59:00+08:00', 1, '2027-01-31T23:59:00+08:00'],
    // last day of the month
    ['2026-01-31T09:00:00+08:00', 1, '2026-02-28T09:00:00+08:00'],
    ['2027-01-31T09:00:00+08:00', 1, '2027-02-28T09:00:00+08:00'],
    ['2028-01-31T09:00:00+08:00', 1, '2028-02-29T09:00:00+08:00'],
    ['2028-02-29T09:00:00+08:00', 12, '2029-02-28T09:00:00+08:00'],
  ])('%s + %i months → %s', (at, months, expected) => {
    expect(validUntil(d(at), months).getTime()).toBe(d(expected).getTime());
  });

  it('defaults to 12 months', () => {
    expect(validUntil(d('2026-05-20T08:00:00+08:00')).toISOString()).toBe(d('2027-05-20T08:00:00+08:00').toISOString());
  });

  it('rejects a bad interval or date', () => {
    expect(() => validUntil(d('2026-01-01T00:00:00Z'), 0)).toThrow(RangeError);
    expect(() => addMonthsCountyTime(d('nope'), 1)).toThrow(RangeError);
    expect(() => addMonthsCountyTime(d('2026-01-01T00:00:00Z'), 1.5)).toThrow(RangeError);
  });
});

describe('validity', () => {
  const a = { assessedAt: d('2026-01-10T09:00:00+08:00'), validUntil: d('2027-01-10T09:00:00+08:00') };
  it('is valid from assessedAt up to, not including, validUntil', () => {
    expect(isValidAt(a, d('2026-01-10T08:59:59+08:00'))).toBe(false);
    expect(isValidAt(a, a.assessedAt)).toBe(true);
    expect(isValidAt(a, d('2027-01-10T08:59:59+08:00'))).toBe(true);
    expect(isValidAt(a, a.validUntil)).toBe(false);
  });

  it.each([
    ['2026-06-01T00:00:00+08:00', 'valid'],
    ['2026-12-11T09:00:00+08:00', 'due'], // exactly 30 days left
    ['2026-12-11T08:59:59+08:00', 'valid'],
    ['2027-01-10T08:59:59+08:00', 'due'],
    ['2027-01-10T09:00:00+08:00', 'expired'],
    ['2028-01-01T00:00:00+08:00', 'expired'],
  ] as const)('at %s it is %s', (at, status) => {
    expect(validityStatus(a.validUntil, d(at))).toBe(status);
  });

  it('takes a configured due window', () => {
    expect(validityStatus(a.validUntil, d('2026-11-01T00:00:00+08:00'), 90)).toBe('due');
  });
});
