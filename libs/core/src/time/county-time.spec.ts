import {
  addDays,
  addMonths,
  addMonthsCountyTime,
  ageOn,
  ceilToMinute,
  countyClock,
  countyDate,
  countyDatesBetween,
  countyInstant,
  countyIso,
  countyMidnight,
  countyMidnightOf,
  countyMinutesOfDay,
  countyMonth,
  countyTimeOf,
  daysBetween,
  daysInMonth,
  hhmmOf,
  isCalendarDate,
  isHHMM,
  isMonth,
  lastDayOfMonth,
  minutesOfDay,
  monthStart,
  monthThird,
  monthsBetween,
  nextMonth,
  parseMonth,
  previousMonth,
  thirdOfDay,
  toCountyIso,
  weekdayOf,
} from './county-time';

const d = (iso: string) => new Date(iso);

describe('county time (UTC+8, no daylight saving)', () => {
  it('renders instants with the +08:00 offset', () => {
    expect(toCountyIso(d('2026-12-01T01:00:00Z'))).toBe('2026-12-01T09:00:00+08:00');
    expect(toCountyIso(d('2026-11-30T16:30:00Z'))).toBe('2026-12-01T00:30:00+08:00');
    expect(toCountyIso(null)).toBeNull();
    expect(countyIso(Date.parse('2026-07-01T01:00:00Z'))).toBe('2026-07-01T09:00:00+08:00'); // no summer time
  });

  it('takes the county date, clock and minutes, not the UTC ones: 23:30 UTC is already tomorrow', () => {
    expect(countyDate(d('2026-11-30T16:30:00Z'))).toBe('2026-12-01');
    expect(countyDate(Date.parse('2026-12-01T23:30:00Z'))).toBe('2026-12-02');
    expect(countyDate(Date.parse('2026-12-01T15:59:59Z'))).toBe('2026-12-01');
    expect(countyClock(d('2026-12-01T01:05:00Z'))).toBe('09:05');
    expect(countyMinutesOfDay(d('2026-12-01T17:30:00Z'))).toBe(90);
  });

  it('maps county dates and times to instants', () => {
    expect(countyInstant('2026-12-01', '09:00').toISOString()).toBe('2026-12-01T01:00:00.000Z');
    expect(countyInstant('2026-12-01').toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(countyMidnight('2026-12-01')).toBe(Date.parse('2026-11-30T16:00:00Z'));
    expect(countyTimeOf('2026-12-01', '09:00')).toBe(Date.parse('2026-12-01T01:00:00Z'));
    expect(countyTimeOf('2026-12-01', '24:00')).toBe(countyMidnight('2026-12-02'));
    for (const bad of ['2026-13-01', '2026-02-30', '26-12-01']) expect(() => countyMidnight(bad)).toThrow(RangeError);
    expect(() => countyTimeOf('2026-12-01', '9:00')).toThrow(RangeError);
    expect(countyMidnightOf(2027, 2, 29).toISOString()).toBe(countyInstant('2027-03-01').toISOString());
  });

  it('rounds up to the whole minute', () => {
    const nine = countyTimeOf('2026-12-01', '09:00');
    expect(ceilToMinute(nine)).toBe(nine);
    expect(ceilToMinute(nine + 1)).toBe(nine + 60_000);
  });

  it.each([
    ['2026-03-15T10:00:00+08:00', 12, '2027-03-15T10:00:00+08:00'],
    ['2026-12-31T23:59:00+08:00', 1, '2027-01-31T23:59:00+08:00'],
    ['2026-01-31T09:00:00+08:00', 1, '2026-02-28T09:00:00+08:00'],
    ['2028-01-31T09:00:00+08:00', 1, '2028-02-29T09:00:00+08:00'],
    ['2026-01-01T00:30:00+08:00', -1, '2025-12-01T00:30:00+08:00'],
  ])('adds months on the county clock: %s + %i → %s', (from, months, to) => {
    expect(countyIso(addMonthsCountyTime(d(from), months))).toBe(to);
  });

  it('refuses fractional months and invalid dates', () => {
    expect(() => addMonthsCountyTime(d('2026-01-01T00:00:00Z'), 1.5)).toThrow(RangeError);
    expect(() => addMonthsCountyTime(d('nope'), 1)).toThrow(RangeError);
  });
});

describe('times of day', () => {
  it('parses HH:MM, 24:00 included', () => {
    expect(minutesOfDay('08:00')).toBe(480);
    expect(minutesOfDay('17:30')).toBe(1050);
    expect(minutesOfDay('24:00')).toBe(1440);
    for (const bad of ['8:00', '24:01', '25:00', '12:60', 'noon']) {
      expect(isHHMM(bad)).toBe(false);
      expect(() => minutesOfDay(bad)).toThrow(RangeError);
    }
    expect(hhmmOf(545)).toBe('09:05');
    expect(() => hhmmOf(1441)).toThrow(RangeError);
  });
});

describe('dates', () => {
  it('knows real dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    for (const bad of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-1-01', '2026-12-01T00:00']) {
      expect(isCalendarDate(bad)).toBe(false);
    }
  });

  it('adds and counts days, and names the weekday', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-12-01', '2027-01-01')).toBe(31);
    expect(weekdayOf('2026-12-06')).toBe(0); // a Sunday
  });

  it('lists the county dates an interval touches (end exclusive)', () => {
    const at = (date: string, hhmm: string) => countyTimeOf(date, hhmm);
    expect(countyDatesBetween(at('2026-12-01', '09:00'), at('2026-12-01', '17:00'))).toEqual(['2026-12-01']);
    expect(countyDatesBetween(at('2026-12-01', '09:00'), at('2026-12-03', '00:00'))).toEqual([
      '2026-12-01',
      '2026-12-02',
    ]);
    expect(countyDatesBetween(at('2026-12-01', '09:00'), at('2026-12-01', '09:00'))).toEqual([]);
  });

  it('counts whole years of age', () => {
    expect(ageOn('1945-01-01', '2026-12-31')).toBe(81);
    expect(ageOn('1945-12-31', '2026-12-30')).toBe(80);
    expect(ageOn('1945-12-31', '2026-12-31')).toBe(81);
  });
});

describe('months', () => {
  it('parses and checks months', () => {
    expect(parseMonth('2026-05')).toEqual({ year: 2026, month: 5 });
    expect(isMonth('2026-13')).toBe(false);
    expect(() => parseMonth('2026-5')).toThrow(RangeError);
  });

  it('steps months across years', () => {
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(addMonths('2026-05', 20)).toBe('2028-01');
    expect(addMonths('2026-05', -17)).toBe('2024-12');
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2026-01', '2036-12', 3)).toHaveLength(3);
  });

  it('takes the county month of an instant: 31 Dec 16:30 UTC is January in the county', () => {
    expect(countyMonth(d('2026-12-31T16:30:00Z'))).toBe('2027-01');
    expect(countyMonth(d('2026-12-31T15:59:59Z'))).toBe('2026-12');
    expect(countyMonth(d('2026-12-31T15:59:59Z'), 1)).toBe('2027-01');
  });

  it('knows month lengths and starts', () => {
    expect(daysInMonth('2028-02')).toBe(29);
    expect(daysInMonth('2026-02')).toBe(28);
    expect(lastDayOfMonth('2026-04')).toBe('2026-04-30');
    expect(monthStart('2026-12').toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });

  it('splits a month into thirds: 1–10, 11–20, 21–end', () => {
    expect(monthThird('2026-02', 1)).toEqual({
      firstDay: 1,
      lastDay: 10,
      first: '2026-02-01',
      last: '2026-02-10',
      days: 10,
    });
    expect(monthThird('2026-02', 2)).toMatchObject({ firstDay: 11, lastDay: 20 });
    expect(monthThird('2026-02', 3)).toMatchObject({ firstDay: 21, lastDay: 28, last: '2026-02-28', days: 8 });
    expect(monthThird('2026-01', 3)).toMatchObject({ lastDay: 31, days: 11 });
    expect([1, 10, 11, 20, 21, 31].map(thirdOfDay)).toEqual([1, 1, 2, 2, 3, 3]);
  });
});
