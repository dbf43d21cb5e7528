import { emergencyFigures, median } from './emergency-figures';

const MIN = 60_000;
describe('emergency figures', () => {
  it('median of an odd and an even list; null for none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('counts calls, the median minutes to arrive and the share reached within 60 minutes', () => {
    const t = 1_000_000_000;
    const figures = emergencyFigures([
      { receivedAt: t, arrivedAt: t + 20 * MIN, outcome: 'visited' },
      { receivedAt: t, arrivedAt: t + 60 * MIN, outcome: 'visited' },
      { receivedAt: t, arrivedAt: t + 90 * MIN, outcome: null },
      { receivedAt: t, arrivedAt: null, outcome: 'hospital' },
      // a false alarm called off before anyone came needs no caregiver: out of the share
      { receivedAt: t, arrivedAt: null, outcome: 'false_alarm' },
    ]);
    expect(figures).toEqual({
      calls: 5,
      reached: 3,
      medianMinutesToArrive: 60,
      answeredWithin60: 2,
      needingVisit: 4,
      answeredWithin60Share: 0.5,
    });
  });

  it('no calls: counts are zero and the ratios null', () => {
    expect(emergencyFigures([])).toEqual({
      calls: 0,
      reached: 0,
      medianMinutesToArrive: null,
      answeredWithin60: 0,
      needingVisit: 0,
      answeredWithin60Share: null,
    });
  });
});
