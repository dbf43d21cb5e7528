import { applyDeltas, dueTownships, earliest, monthChanges, reachesAgeAt, type OutboxChange } from './freshness';
import { zeroCounts } from './indicators';
import { statsPeriod } from './period';

describe('which kept township counts must be recomputed', () => {
  const townships = ['A', 'B', 'C', 'D'];
  const asOf = new Date('2026-11-15T04:00:00Z');
  const kept = new Map([
    ['A', { changesAt: null }],
    ['B', { changesAt: new Date('2026-11-15T04:00:00Z') }], // an assessment expires exactly at asOf
    ['C', { changesAt: new Date('2026-11-15T04:00:00.001Z') }], // a millisecond later
  ]);

  it('due: never kept, changed, or passed by the clock; in report order', () => {
    expect(dueTownships({ townships, kept, changed: new Set(['A']), asOf })).toEqual(['A', 'B', 'D']);
  });

  it('nothing changed and no clock event passed: nothing is due', () => {
    const all = new Map([...kept, ['D', { changesAt: null }]]);
    expect(dueTownships({ townships, kept: all, changed: new Set(), asOf: new Date('2026-11-15T03:59:59Z') })).toEqual(
      [],
    );
  });

  it('a change outside the townships is ignored; "all" recomputes everything', () => {
    const all = new Map([...kept, ['D', { changesAt: null }]]);
    const before = new Date('2026-11-01T00:00:00Z');
    expect(dueTownships({ townships, kept: all, changed: new Set(['Z']), asOf: before })).toEqual([]);
    expect(dueTownships({ townships, kept: all, changed: 'all', asOf: before })).toEqual(townships);
  });
});

describe('reachesAgeAt', () => {
  it('is 00:00 county time (UTC+8) of the 60th birthday', () => {
    expect(reachesAgeAt('1966-12-05').toISOString()).toBe('2026-12-04T16:00:00.000Z');
  });

  it('agrees with the period rule: 60 on the day, not the day before', () => {
    const at = reachesAgeAt('1966-12-05');
    const before = statsPeriod('2026-12', new Date(at.getTime() - 1));
    const on = statsPeriod('2026-12', at);
    expect('1966-12-05' <= before.elderBornOnOrBefore).toBe(false);
    expect('1966-12-05' <= on.elderBornOnOrBefore).toBe(true);
  });

  it('born on 29 February: the birthday of a leap year, else 1 March', () => {
    expect(reachesAgeAt('1964-02-29').toISOString()).toBe('2024-02-28T16:00:00.000Z');
    expect(reachesAgeAt('2040-02-29').toISOString()).toBe('2100-02-28T16:00:00.000Z'); // 2100 has no 29 February
  });
});

describe('earliest', () => {
  it('ignores null and undefined', () => {
    const a = new Date('2026-01-02T00:00:00Z');
    const b = new Date('2026-01-01T00:00:00Z');
    expect(earliest(null, a, undefined, b)).toBe(b);
    expect(earliest(null, undefined)).toBeNull();
  });
});

describe('monthChanges: what the outbox rows mean for a kept month', () => {
  const row = (over: Partial<OutboxChange>): OutboxChange => ({
    id: '1',
    regionCode: 'A',
    month: null,
    source: 'beds',
    recompute: false,
    bedsInService: 0,
    nursingBeds: 0,
    sign: 0,
    facts: null,
    residentId: null,
    ...over,
  });

  it('counted changes add up per township; recompute rows name their townships', () => {
    const c = monthChanges(
      [
        row({ bedsInService: 3, nursingBeds: 2 }),
        row({ bedsInService: -1 }),
        row({ regionCode: 'B', source: 'residents', recompute: true }),
      ],
      '2026-11',
    );
    expect(c.deltas.get('A')).toEqual({ bedsInService: 2, nursingBeds: 2 });
    expect(c.recompute).toEqual(new Set(['B']));
    expect(c.circles).toBe(false);
  });

  it("a row of another month is not this month's; a row without a month is every open month's", () => {
    const rows = [row({ month: '2026-10', recompute: true }), row({ regionCode: 'C', recompute: true })];
    expect(monthChanges(rows, '2026-11').recompute).toEqual(new Set(['C']));
    expect(monthChanges(rows, '2026-10').recompute).toEqual(new Set(['A', 'C']));
  });

  it('every township to count again (a facility); the circles to compare (a service point or caregiver)', () => {
    const c = monthChanges(
      [
        row({ regionCode: null, source: 'facilities', recompute: true }),
        row({ regionCode: null, source: 'service_circles' }),
      ],
      '2026-11',
    );
    expect(c.recompute).toBe('all');
    expect(c.circles).toBe(true);
  });

  it("a resident's marker names the resident, once, and neither a township nor a count", () => {
    const c = monthChanges(
      [
        row({ regionCode: null, source: 'stays', residentId: 'r1' }),
        row({ regionCode: null, source: 'assessments', residentId: 'r1' }),
        row({ regionCode: null, source: 'visits', residentId: 'r2' }),
      ],
      '2026-11',
    );
    expect([...c.marked].sort()).toEqual(['r1', 'r2']);
    expect(c.recompute).toEqual(new Set());
    expect(c.deltas.size).toBe(0);
    expect(c.residents).toEqual([]);
  });

  it('applyDeltas moves the bed counts and nothing else', () => {
    const counts = { ...zeroCounts(), bedsInService: 10, nursingBeds: 6, occupiedBeds: 4 };
    expect(applyDeltas(counts, { bedsInService: -1, nursingBeds: -1 })).toEqual({
      ...counts,
      bedsInService: 9,
      nursingBeds: 5,
    });
  });
});
