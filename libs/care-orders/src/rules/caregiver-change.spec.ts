import { visitsToRelease, type CaregiverTerms, type HeldVisit } from './caregiver-change';

const terms: CaregiverTerms = {
  active: true,
  servicePointId: 'sp1',
  skills: ['health', 'housekeeping'],
  shiftStart: '08:00',
  shiftEnd: '17:00',
  maxDailyVisits: 4,
};
const at = (day: string, hhmm: string) => new Date(`2026-12-${day}T${hhmm}:00+08:00`);
const visit = (
  orderId: string,
  day: string,
  start: string,
  end: string,
  requiredSkills: string[] = ['health'],
): HeldVisit => ({
  orderId,
  plannedStart: at(day, start),
  plannedEnd: at(day, end),
  requiredSkills,
});
const visits = [
  visit('a', '02', '09:00', '10:00'),
  visit('b', '02', '11:00', '12:00', ['housekeeping']),
  visit('c', '03', '15:00', '16:30'),
];

describe('visits released by a caregiver change', () => {
  it('nothing when the terms still hold', () => {
    expect(visitsToRelease(terms, { ...terms, shiftEnd: '18:00', maxDailyVisits: 6 }, visits)).toEqual([]);
  });

  it('all of them when the caregiver is deactivated or moves to another service point', () => {
    expect(visitsToRelease(terms, { ...terms, active: false }, visits).map((r) => r.reason)).toEqual(
      Array(3).fill('CAREGIVER_INACTIVE'),
    );
    expect(visitsToRelease(terms, { ...terms, servicePointId: 'sp2' }, visits).map((r) => r.orderId)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('the ones needing a skill the caregiver lost', () => {
    expect(visitsToRelease(terms, { ...terms, skills: ['health'] }, visits)).toEqual([
      { orderId: 'b', reason: 'MISSING_SKILL' },
    ]);
  });

  it('the ones outside the new shift', () => {
    expect(visitsToRelease(terms, { ...terms, shiftStart: '09:30', shiftEnd: '16:00' }, visits)).toEqual([
      { orderId: 'a', reason: 'OUTSIDE_SHIFT' },
      { orderId: 'c', reason: 'OUTSIDE_SHIFT' },
    ]);
    expect(visitsToRelease(terms, { ...terms, shiftEnd: '16:30' }, visits)).toEqual([]);
  });

  it('the latest ones of a day over the new cap, counting visits that stay', () => {
    expect(visitsToRelease(terms, { ...terms, maxDailyVisits: 1 }, visits)).toEqual([
      { orderId: 'b', reason: 'OVER_DAILY_CAP' },
    ]);
    expect(visitsToRelease(terms, { ...terms, maxDailyVisits: 2 }, visits, new Map([['2026-12-02', 1]]))).toEqual([
      { orderId: 'b', reason: 'OVER_DAILY_CAP' },
    ]);
  });
});
