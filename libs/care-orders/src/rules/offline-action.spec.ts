import { DEFAULT_CLOCK_TOLERANCE, actionTime, isProxyAction } from './offline-action';

const server = new Date('2026-12-01T10:00:00Z');
const before = (ms: number) => new Date(server.getTime() - ms);
const HOUR = 3600_000;

describe('actionTime: the phone time of an offline action', () => {
  it('an online action (no recordedAt) happens at the server time, unflagged', () => {
    expect(actionTime(server, null)).toEqual({ effectiveAt: server, recordedAt: null, clock: false });
  });

  it('a phone time up to 24 hours old is believed and becomes the time of the action', () => {
    const recorded = before(24 * HOUR);
    expect(actionTime(server, recorded)).toEqual({ effectiveAt: recorded, recordedAt: recorded, clock: false });
    expect(actionTime(server, before(3 * HOUR)).clock).toBe(false);
  });

  it('more than 24 hours old: kept, flagged clock, the server time used', () => {
    const recorded = before(24 * HOUR + 1);
    expect(actionTime(server, recorded)).toEqual({ effectiveAt: server, recordedAt: recorded, clock: true });
  });

  it('in the future: a small skew is allowed, beyond it flagged clock', () => {
    const skew = DEFAULT_CLOCK_TOLERANCE.futureSkewMs;
    expect(actionTime(server, before(-skew)).clock).toBe(false);
    const ahead = before(-skew - 1);
    expect(actionTime(server, ahead)).toEqual({ effectiveAt: server, recordedAt: ahead, clock: true });
  });
});

describe('isProxyAction: anyone but the assigned caregiver', () => {
  it('the assigned caregiver acts for itself', () => {
    expect(isProxyAction({ role: 'caregiver', caregiverId: 'c1' }, 'c1')).toBe(false);
  });
  it('a dispatcher or admin acting is a proxy, whoever is assigned', () => {
    expect(isProxyAction({ role: 'dispatcher', caregiverId: null }, 'c1')).toBe(true);
    expect(isProxyAction({ role: 'admin', caregiverId: null }, 'c1')).toBe(true);
    expect(isProxyAction({ role: 'admin', caregiverId: null }, null)).toBe(true);
  });
  it('another caregiver (never reaches the action: 404) would be a proxy too', () => {
    expect(isProxyAction({ role: 'caregiver', caregiverId: 'c2' }, 'c1')).toBe(true);
    expect(isProxyAction({ role: 'caregiver', caregiverId: null }, null)).toBe(true);
  });
});
