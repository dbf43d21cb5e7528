// The caregiver's actions (accept, check-in, check-out) go through a queue kept in IndexedDB: each is stored
// first, with the phone's time (recordedAt), its position as the phone knew it (or none: never a substitute)
// and an Idempotency-Key of its own, then sent in the order taken whenever the network allows. The server does
// an action once per key, so a resend after a lost answer is harmless. The screen lists what waits (待上传).

import { ApiError, http } from '../../../api/http';
import type { CareOrder, Vitals } from '../../../api/types';
import { idbAll, idbDelete, idbPut, OUTBOX } from './idb';

export type QueuedKind = 'accept' | 'check_in' | 'check_out';

export interface CheckInBody {
  lat?: number;
  lng?: number;
  recordedAt: string;
}

export interface CheckOutBody {
  servicesDone: string[];
  notes?: string;
  vitals?: Vitals;
  lat?: number;
  lng?: number;
  recordedAt: string;
}

export interface QueuedAction {
  seq?: number;
  /** The user who took the action: only that user's session sends it. */
  userId: string;
  orderId: string;
  kind: QueuedKind;
  body: { recordedAt: string } | CheckInBody | CheckOutBody;
  idempotencyKey: string;
  residentName: string;
  /** Set when the server refused the action (not a network problem): kept on screen until dismissed. */
  failed?: string;
}

const PATHS: Record<QueuedKind, string> = { accept: 'accept', check_in: 'check-in', check_out: 'check-out' };

export const KIND_LABEL: Record<QueuedKind, string> = { accept: '接单', check_in: '签到', check_out: '签退' };

/** The status an order shows once the action is done (before the server has heard of it). */
export const STATUS_AFTER: Record<QueuedKind, CareOrder['status']> = {
  accept: 'accepted',
  check_in: 'in_progress',
  check_out: 'completed',
};

/** A v4 UUID; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function newKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

type Listener = () => void;
const listeners = new Set<Listener>();
export function onOutboxChange(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
const changed = () => listeners.forEach((fn) => fn());

export async function queued(userId: string): Promise<QueuedAction[]> {
  const all = await idbAll<QueuedAction>(OUTBOX);
  return all.filter((a) => a.userId === userId).sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
}

export async function enqueue(action: Omit<QueuedAction, 'seq' | 'idempotencyKey'>): Promise<void> {
  await idbPut<QueuedAction>(OUTBOX, { ...action, idempotencyKey: newKey() });
  changed();
}

export async function dismiss(seq: number): Promise<void> {
  await idbDelete(OUTBOX, seq);
  changed();
}

export interface FlushResult {
  sent: number;
  /** The network (or the api) is away: what is left waits for the next try. */
  offline: boolean;
  failed: QueuedAction[];
}

let flushing: Promise<FlushResult> | null = null;

/**
 * Sends the user's waiting actions one by one, in the order taken. A network error (or a 5xx, a 401) stops the
 * round and leaves the rest for later; a refusal (4xx, e.g. the order was cancelled meanwhile) marks that action
 * failed, shown until dismissed, and the next one is sent. Only one round runs at a time.
 */
export function flush(userId: string): Promise<FlushResult> {
  flushing ??= run(userId).finally(() => {
    flushing = null;
  });
  return flushing;
}

async function run(userId: string): Promise<FlushResult> {
  const result: FlushResult = { sent: 0, offline: false, failed: [] };
  for (const action of await queued(userId)) {
    if (action.failed) continue;
    try {
      await http.post<CareOrder>(
        `/care-orders/${encodeURIComponent(action.orderId)}/${PATHS[action.kind]}`,
        action.body,
        {
          'Idempotency-Key': action.idempotencyKey,
        },
      );
      await idbDelete(OUTBOX, action.seq as number);
      result.sent++;
    } catch (e) {
      const status = e instanceof ApiError ? e.statusCode : 0;
      if (status === 0 || status === 401 || status === 408 || status === 429 || status >= 500) {
        result.offline = true;
        break;
      }
      const failed = { ...action, failed: e instanceof Error ? e.message : String(e) };
      await idbPut(OUTBOX, failed);
      result.failed.push(failed);
    }
  }
  changed();
  return result;
}
