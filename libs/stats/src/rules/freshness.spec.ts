import { changedSince, dueTownships, earliest, reachesAgeAt, windowSignatures } from './freshness';
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

describe('changedSince: the townships whose rows changed since a refresh', () => {
  /** [key, rows in the window, rows after, sum of the window's updated_at (default: one derived from the count)] */
  const changes = (entries: [string, number, number, string?][]) =>
    new Map(
      entries.map(([key, inWindow, after, sum]) => [
        key,
        { inWindow, windowSum: sum ?? String(inWindow * 1000), after },
      ]),
    );
  /** What a refresh records for the same entries. */
  const seenAs = (entries: [string, number, number, string?][]) => windowSignatures(changes(entries));

  it('rows updated after the refresh started: their townships', () => {
    const c = changedSince(
      changes([
        ['beds:A', 0, 1],
        ['visits:B', 2, 1],
      ]),
      seenAs([['visits:B', 2, 0]]),
    );
    expect(c).toEqual({ townships: new Set(['A', 'B']), all: false, servicePoints: false });
  });

  it('the window as the refresh saw it: nothing changed (the lag does not count a change twice)', () => {
    const window: [string, number, number][] = [
      ['beds:A', 3, 0],
      ['residents:B', 1, 0],
    ];
    const c = changedSince(changes(window), seenAs(window));
    expect(c.townships.size).toBe(0);
  });

  it('more rows in the window than the refresh saw: a transaction committed late, its township changed', () => {
    const c = changedSince(
      changes([
        ['beds:A', 4, 0],
        ['stays:C', 1, 0],
      ]),
      seenAs([['beds:A', 3, 0]]),
    );
    expect([...c.townships].sort()).toEqual(['A', 'C']);
  });

  it('a row already in the change window is updated again (committed late, still inside the window): changed', () => {
    // the refresh saw 2 rows at t1 and t2; one of them was updated again at t3 <= the refresh's start, committing
    // after it: still 2 rows in the window, nothing after, only their updated_at moved
    const c = changedSince(
      changes([['beds:A', 2, 0, String(1_000 + 3_000)]]),
      seenAs([['beds:A', 2, 0, String(1_000 + 2_000)]]),
    );
    expect([...c.townships]).toEqual(['A']);
  });

  it('fewer rows in the window (one was updated again, after the refresh): counted by `after`', () => {
    const c = changedSince(changes([['beds:A', 2, 1]]), seenAs([['beds:A', 3, 0]]));
    expect([...c.townships]).toEqual(['A']);
  });

  it('every row the refresh saw in a township moved to another one (a late commit): both changed', () => {
    const c = changedSince(changes([['residents:B', 1, 0]]), seenAs([['residents:A', 1, 0]]));
    expect([...c.townships].sort()).toEqual(['A', 'B']);
  });

  it('a window kept by an earlier version (a bare count) is recomputed once', () => {
    expect([...changedSince(changes([['beds:A', 3, 0]]), { 'beds:A': 3 }).townships]).toEqual(['A']);
  });

  it('facilities change every township; caregivers and service points the circles', () => {
    expect(changedSince(changes([['facilities:*', 0, 1]]), {})).toMatchObject({ all: true, servicePoints: false });
    expect(changedSince(changes([['caregivers:*', 1, 0]]), {})).toMatchObject({ all: false, servicePoints: true });
    expect(
      changedSince(changes([['service_points:*', 1, 0]]), seenAs([['service_points:*', 1, 0]])).servicePoints,
    ).toBe(false);
  });

  it('windowSignatures keeps what a refresh saw in its window: count and updated_at sum', () => {
    expect(
      windowSignatures(
        changes([
          ['beds:A', 3, 1, '123456789012345678901'],
          ['stays:B', 0, 2, '0'],
        ]),
      ),
    ).toEqual({ 'beds:A': '3:123456789012345678901' });
  });
});
