import { callRequestHash, emergencyOrderWindow, isDemoDevice, isValidDeviceId, secondsBetween } from './calls';

describe('emergency call rules', () => {
  it('the order a call makes runs from now for two hours', () => {
    const at = new Date('2026-12-06T02:00:00Z');
    expect(emergencyOrderWindow(at)).toEqual({ windowStart: at, windowEnd: new Date('2026-12-06T04:00:00Z') });
  });

  it('a retry is the same call only with the same body', () => {
    const a = callRequestHash({ deviceId: 'X', source: 'one_key_device' });
    expect(callRequestHash({ deviceId: 'X', source: 'one_key_device' })).toBe(a);
    expect(callRequestHash({ deviceId: 'X', source: 'one_key_device', notes: 'n' })).not.toBe(a);
    expect(callRequestHash({ residentId: 'X', source: 'one_key_device' })).not.toBe(a);
  });

  it('demo devices are known by their prefix; device ids are printable without spaces', () => {
    expect(isDemoDevice('DEMO-0001')).toBe(true);
    expect(isDemoDevice('YJT-1')).toBe(false);
    expect(isDemoDevice(null)).toBe(false);
    expect(isValidDeviceId('860000000000001')).toBe(true);
    expect(isValidDeviceId('a b')).toBe(false);
    expect(isValidDeviceId('x'.repeat(65))).toBe(false);
  });

  it('seconds between the call and an event, null until it happens', () => {
    const t = new Date('2026-12-06T02:00:00Z');
    expect(secondsBetween(t, new Date('2026-12-06T02:01:30.400Z'))).toBe(90);
    expect(secondsBetween(t, null)).toBeNull();
  });
});
