import { createHash } from 'node:crypto';

/**
 * Emergency calls (一键呼叫): the pure parts. A call makes an urgent care order for now → now + 2 h with the
 * default services unless others are given; its figures (seconds to assign, to arrive) are defined here once.
 */

export const CALL_SOURCES = ['one_key_device', 'phone', 'family'] as const;
export type CallSource = (typeof CALL_SOURCES)[number];

export const CALL_STATUSES = ['open', 'resolved'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const CALL_OUTCOMES = ['visited', 'false_alarm', 'hospital', 'other'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export const EMERGENCY_SERVICES: readonly string[] = ['health_check', 'companionship'];
export const EMERGENCY_WINDOW_MS = 2 * 3600_000;

/**
 * Devices whose id starts with this prefix are the demo county's (written by `npm run seed:demo` only; the api
 * refuses to register such an id). A resident is demo data when its device is one: only those may be "pressed"
 * from the console's simulate button.
 */
export const DEMO_DEVICE_PREFIX = 'DEMO-';

export function isDemoDevice(deviceId: string | null | undefined): boolean {
  return typeof deviceId === 'string' && deviceId.startsWith(DEMO_DEVICE_PREFIX);
}

/** A device id: 1–64 printable ASCII characters without spaces (what gateways send: IMEI, serial, MAC). */
export function isValidDeviceId(deviceId: string): boolean {
  return /^[\x21-\x7e]{1,64}$/.test(deviceId);
}

/** The order a call makes: window now → now + 2 h, urgent, the default services unless given. */
export function emergencyOrderWindow(receivedAt: Date): { windowStart: Date; windowEnd: Date } {
  return { windowStart: receivedAt, windowEnd: new Date(receivedAt.getTime() + EMERGENCY_WINDOW_MS) };
}

/** What a retried request must repeat to be the same call (the Idempotency-Key's body check). */
export function callRequestHash(body: {
  residentId?: string;
  deviceId?: string;
  source: string;
  notes?: string;
  services?: readonly string[];
}): string {
  const canonical = JSON.stringify([
    body.residentId ?? null,
    body.deviceId ?? null,
    body.source,
    body.notes ?? null,
    body.services ? [...body.services] : null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Whole seconds from `from` to `to`, null while `to` is unknown. */
export function secondsBetween(from: Date | number, to: Date | number | null): number | null {
  if (to === null) return null;
  return Math.max(0, Math.round((new Date(to).getTime() - new Date(from).getTime()) / 1000));
}
