import { countyMonth, daysInMonth, monthThird } from '@care/core/time';
import { isPlanEligible, latestElderBirthDate, planServices, planWindow, resolvePlanMonth } from './visit-plan';

const at = (iso: string) => new Date(iso);

describe('visit plan', () => {
  it('splits the month into thirds: 1–10, 11–20, 21–end', () => {
    expect(monthThird('2027-01', 1)).toMatchObject({ firstDay: 1, lastDay: 10 });
    expect(monthThird('2027-01', 2)).toMatchObject({ firstDay: 11, lastDay: 20 });
    expect(monthThird('2027-01', 3)).toMatchObject({ firstDay: 21, lastDay: 31 });
    expect(monthThird('2027-02', 3)).toMatchObject({ firstDay: 21, lastDay: 28 });
    expect(monthThird('2028-02', 3)).toMatchObject({ firstDay: 21, lastDay: 29 });
    expect(daysInMonth('2027-04')).toBe(30);
  });

  it('each visit has health_check and safety_check plus one rotating service, all three in a month', () => {
    const month = ['2027-01', '2027-02', '2027-03'].map((m) =>
      [1, 2, 3].map((slot) => planServices(m, slot as 1 | 2 | 3)),
    );
    for (const visits of month) {
      for (const services of visits) expect(services.slice(0, 2)).toEqual(['health_check', 'safety_check']);
      expect(visits.map((s) => s[2]).sort()).toEqual(['home_cleaning', 'laundry', 'personal_hygiene']);
    }
    // the rotation moves on by one each month
    expect(month[1][0][2]).toBe(month[0][1][2]);
    expect(month[2][0][2]).toBe(month[0][2][2]);
  });

  it('windows run from 09:00 on the first day of the third to 17:00 on its last, county time', () => {
    const now = at('2026-11-30T06:00:00Z');
    expect(planWindow('2027-01', 1, now, 90)).toEqual({
      windowStart: at('2027-01-01T09:00:00+08:00'),
      windowEnd: at('2027-01-10T17:00:00+08:00'),
    });
    expect(planWindow('2027-01', 3, now, 90)).toEqual({
      windowStart: at('2027-01-21T09:00:00+08:00'),
      windowEnd: at('2027-01-31T17:00:00+08:00'),
    });
  });

  it('during the month: a third that is over is skipped, the current one starts at the next 09:00–17:00 moment', () => {
    // 15 January 08:00 county time
    const morning = at('2027-01-15T08:00:00+08:00');
    expect(planWindow('2027-01', 1, morning, 90)).toBeNull();
    expect(planWindow('2027-01', 2, morning, 90)?.windowStart).toEqual(at('2027-01-15T09:00:00+08:00'));
    // 15 January 10:30:20: from now (whole minute)
    expect(planWindow('2027-01', 2, at('2027-01-15T10:30:20+08:00'), 90)?.windowStart).toEqual(
      at('2027-01-15T10:31:00+08:00'),
    );
    // 15 January 18:00: from tomorrow 09:00
    expect(planWindow('2027-01', 2, at('2027-01-15T18:00:00+08:00'), 90)?.windowStart).toEqual(
      at('2027-01-16T09:00:00+08:00'),
    );
    // the last day after 16:00 leaves less than 90 minutes: skipped
    expect(planWindow('2027-01', 2, at('2027-01-20T16:00:00+08:00'), 90)).toBeNull();
    expect(planWindow('2027-01', 2, at('2027-01-20T15:00:00+08:00'), 90)).not.toBeNull();
  });

  it('is for elders at home who are destitute or economically disadvantaged', () => {
    const base = { livingArrangement: 'home', categories: ['destitute'], birthDate: '1945-01-01' };
    expect(isPlanEligible(base, '2027-01')).toBe(true);
    expect(isPlanEligible({ ...base, categories: ['economic_hardship', 'living_alone'] }, '2027-01')).toBe(true);
    expect(isPlanEligible({ ...base, categories: ['low_income'] }, '2027-01')).toBe(false);
    expect(isPlanEligible({ ...base, livingArrangement: 'institution' }, '2027-01')).toBe(false);
  });

  it('counts age on the last day of the month: who turns 60 during it is included', () => {
    const born = (birthDate: string) => ({ livingArrangement: 'home', categories: ['destitute'], birthDate });
    expect(isPlanEligible(born('1967-01-31'), '2027-01')).toBe(true);
    expect(isPlanEligible(born('1967-02-01'), '2027-01')).toBe(false);
    expect(latestElderBirthDate('2027-01')).toBe('1967-01-31');
    expect(latestElderBirthDate('2028-02')).toBe('1968-02-29');
  });

  it('resolves the scheduled job’s month sentinels in county time', () => {
    // 31 December 2026 20:00 UTC is already 1 January 2027 in the county
    const now = at('2026-12-31T20:00:00Z');
    expect(countyMonth(now)).toBe('2027-01');
    expect(resolvePlanMonth('current', now)).toBe('2027-01');
    expect(resolvePlanMonth('next', now)).toBe('2027-02');
    expect(resolvePlanMonth('2027-05', now)).toBe('2027-05');
    expect(resolvePlanMonth('next', at('2027-12-05T00:00:00Z'))).toBe('2028-01');
    expect(() => resolvePlanMonth('2027-13', now)).toThrow(RangeError);
  });
});
