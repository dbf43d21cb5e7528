import { ALERT_TYPES, alertDetail, dueAlerts, isExpired, type WatchedOrder } from './alerts';

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 6, 2, 0);
const order = (over: Partial<WatchedOrder> = {}): WatchedOrder => ({
  status: 'assigned',
  windowEnd: NOW + 3 * 3600_000,
  durationMinutes: 30,
  checkedInAt: null,
  call: null,
  ...over,
});

describe('dueAlerts', () => {
  it('visit_not_started: assigned or accepted, no check-in, from 30 minutes before the window ends', () => {
    expect(dueAlerts(order({ windowEnd: NOW + 31 * MIN }), NOW)).toEqual([]);
    expect(dueAlerts(order({ windowEnd: NOW + 30 * MIN }), NOW)).toEqual(['visit_not_started']);
    expect(dueAlerts(order({ status: 'accepted', windowEnd: NOW + MIN }), NOW)).toEqual(['visit_not_started']);
    expect(dueAlerts(order({ status: 'pending', windowEnd: NOW + MIN }), NOW)).toEqual([]);
    expect(dueAlerts(order({ windowEnd: NOW + MIN, checkedInAt: NOW - MIN }), NOW)).toEqual([]);
  });

  it('visit_missed: window over with no check-in (instead of not started)', () => {
    expect(dueAlerts(order({ windowEnd: NOW }), NOW)).toEqual(['visit_missed']);
    expect(dueAlerts(order({ status: 'accepted', windowEnd: NOW - 5 * MIN }), NOW)).toEqual(['visit_missed']);
    expect(dueAlerts(order({ status: 'completed', windowEnd: NOW - 5 * MIN }), NOW)).toEqual([]);
    expect(dueAlerts(order({ status: 'cancelled', windowEnd: NOW - 5 * MIN }), NOW)).toEqual([]);
    // history older than a week raises nothing
    expect(dueAlerts(order({ windowEnd: NOW - 8 * 24 * 3600_000 }), NOW)).toEqual([]);
  });

  it('visit_overrun: in progress for twice its planned duration', () => {
    expect(dueAlerts(order({ status: 'in_progress', checkedInAt: NOW - 59 * MIN }), NOW)).toEqual([]);
    expect(dueAlerts(order({ status: 'in_progress', checkedInAt: NOW - 60 * MIN }), NOW)).toEqual(['visit_overrun']);
    expect(dueAlerts(order({ status: 'in_progress', durationMinutes: 45, checkedInAt: NOW - 89 * MIN }), NOW)).toEqual(
      [],
    );
  });

  it('emergency_not_accepted: 5 minutes without acceptance, or at once when left unassigned', () => {
    const call = { receivedAt: NOW - 4 * MIN, open: true };
    expect(dueAlerts(order({ status: 'assigned', call }), NOW)).toEqual([]);
    expect(dueAlerts(order({ status: 'unassigned', call }), NOW)).toEqual(['emergency_not_accepted']);
    expect(dueAlerts(order({ status: 'pending', call: { ...call, receivedAt: NOW - 5 * MIN } }), NOW)).toEqual([
      'emergency_not_accepted',
    ]);
    expect(dueAlerts(order({ status: 'accepted', call: { ...call, receivedAt: NOW - 10 * MIN } }), NOW)).toEqual([]);
    // a resolved call escalates nothing
    expect(dueAlerts(order({ status: 'unassigned', call: { ...call, open: false } }), NOW)).toEqual([]);
  });

  it('emergency_not_arrived: no check-in 60 minutes after the call', () => {
    const call = { receivedAt: NOW - 60 * MIN, open: true };
    expect(dueAlerts(order({ status: 'accepted', call }), NOW)).toEqual(['emergency_not_arrived']);
    expect(dueAlerts(order({ status: 'in_progress', checkedInAt: NOW - 10 * MIN, call }), NOW)).toEqual([]);
    expect(dueAlerts(order({ status: 'assigned', call }), NOW)).toEqual([
      'emergency_not_accepted',
      'emergency_not_arrived',
    ]);
    expect(dueAlerts(order({ status: 'cancelled', call }), NOW)).toEqual([]);
  });

  it('every type has a detail line', () => {
    const o = order({
      status: 'in_progress',
      checkedInAt: NOW - 70 * MIN,
      call: { receivedAt: NOW - 70 * MIN, open: true },
    });
    for (const type of ALERT_TYPES) expect(alertDetail(type, o, NOW).length).toBeGreaterThan(5);
  });
});

describe('isExpired', () => {
  it('a visit in progress is closed a day after its overrun alert', () => {
    expect(isExpired(NOW - 24 * 3600_000 + 1, NOW)).toBe(false);
    expect(isExpired(NOW - 24 * 3600_000, NOW)).toBe(true);
  });
});
