import { windowProblems } from './order-window';

const now = new Date('2026-12-01T00:00:00+08:00');
const t = (iso: string) => new Date(`2026-12-${iso}+08:00`);
const base = { durationMinutes: 90, durationGiven: false, now };

describe('order window', () => {
  it('accepts a sane window', () => {
    expect(windowProblems({ ...base, windowStart: t('02T09:00:00'), windowEnd: t('02T17:00:00') })).toEqual([]);
  });

  it('wants the end after the start', () => {
    expect(windowProblems({ ...base, windowStart: t('02T17:00:00'), windowEnd: t('02T09:00:00') })).toEqual([
      'windowEnd: must be after windowStart',
    ]);
    expect(windowProblems({ ...base, windowStart: t('02T09:00:00'), windowEnd: t('02T09:00:00') })).toEqual([
      'windowEnd: must be after windowStart',
    ]);
  });

  it('wants the visit to fit, naming durationMinutes when given, else services', () => {
    expect(windowProblems({ ...base, windowStart: t('02T09:00:00'), windowEnd: t('02T10:00:00') })[0]).toMatch(
      /^services: the visit \(90 min\) does not fit/,
    );
    expect(
      windowProblems({ ...base, durationGiven: true, windowStart: t('02T09:00:00'), windowEnd: t('02T10:00:00') })[0],
    ).toMatch(/^durationMinutes:/);
    expect(
      windowProblems({ ...base, durationMinutes: 60, windowStart: t('02T09:00:00'), windowEnd: t('02T10:00:00') }),
    ).toEqual([]);
  });

  it('refuses a window already over, one with too little left, and one longer than 31 days', () => {
    expect(
      windowProblems({ ...base, now: t('03T00:00:00'), windowStart: t('02T09:00:00'), windowEnd: t('02T17:00:00') }),
    ).toContain('windowEnd: lies in the past');
    expect(
      windowProblems({ ...base, now: t('02T16:00:00'), windowStart: t('02T09:00:00'), windowEnd: t('02T17:00:00') })[0],
    ).toMatch(/too little of the window/);
    expect(
      windowProblems({ ...base, windowStart: t('02T09:00:00'), windowEnd: new Date('2027-01-05T09:00:00+08:00') })[0],
    ).toMatch(/at most 31 days/);
  });
});
