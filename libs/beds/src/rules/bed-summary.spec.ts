import { meetsShare, roundedFraction, summarizeBeds, type BedCountRow } from './bed-summary';

describe('bed summary', () => {
  it('counts beds in service only: closed beds are out of every count', () => {
    const rows: BedCountRow[] = [
      { type: 'nursing', status: 'occupied', count: 5 },
      { type: 'nursing', status: 'vacant', count: 3 },
      { type: 'nursing', status: 'closed', count: 4 },
      { type: 'ordinary', status: 'vacant', count: 2 },
      { type: 'ordinary', status: 'maintenance', count: 1 },
      { type: 'ordinary', status: 'reserved', count: 1 },
      { type: 'ordinary', status: 'closed', count: 7 },
    ];
    expect(summarizeBeds(rows)).toEqual({
      total: 12,
      nursing: 8,
      ordinary: 4,
      occupied: 5,
      vacant: 5,
      reserved: 1,
      maintenance: 1,
      closed: 11,
      nursingShare: 0.6667,
      utilization: 0.4167,
      nursingShareTarget: 0.55,
      meetsNursingShareTarget: true,
    });
  });

  it('has null fractions and does not meet the target without beds in service', () => {
    const empty = summarizeBeds([]);
    expect(empty).toMatchObject({ total: 0, nursingShare: null, utilization: null, meetsNursingShareTarget: false });
    const allClosed = summarizeBeds([{ type: 'nursing', status: 'closed', count: 3 }]);
    expect(allClosed).toMatchObject({
      total: 0,
      closed: 3,
      nursingShare: null,
      utilization: null,
      meetsNursingShareTarget: false,
    });
  });

  it('rounds half up to 4 places', () => {
    expect(roundedFraction(1, 3)).toBe(0.3333);
    expect(roundedFraction(2, 3)).toBe(0.6667);
    expect(roundedFraction(1, 8)).toBe(0.125);
    expect(roundedFraction(1, 20000)).toBe(0.0001); // 0.00005 → up
    expect(roundedFraction(0, 5)).toBe(0);
    expect(roundedFraction(5, 5)).toBe(1);
    expect(roundedFraction(0, 0)).toBeNull();
    expect(() => roundedFraction(-1, 2)).toThrow(RangeError);
  });

  it('compares the exact fraction with the target, not the rounded one', () => {
    // 10999/20000 = 0.54995 → shown as 0.55 (half up), but it is below 55 %
    const s = summarizeBeds([
      { type: 'nursing', status: 'vacant', count: 10999 },
      { type: 'ordinary', status: 'vacant', count: 9001 },
    ]);
    expect(s.nursingShare).toBe(0.55);
    expect(s.meetsNursingShareTarget).toBe(false);
    expect(meetsShare(11, 20, 0.55)).toBe(true);
    expect(meetsShare(10, 20, 0.55)).toBe(false);
    expect(meetsShare(0, 0, 0.55)).toBe(false);
  });

  it('counts every status once', () => {
    const s = summarizeBeds([
      { type: 'ordinary', status: 'occupied', count: 1 },
      { type: 'ordinary', status: 'vacant', count: 1 },
    ]);
    expect(s).toMatchObject({
      total: 2,
      nursing: 0,
      ordinary: 2,
      nursingShare: 0,
      utilization: 0.5,
      meetsNursingShareTarget: false,
    });
  });
});
