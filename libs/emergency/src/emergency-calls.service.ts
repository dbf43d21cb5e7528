import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ConflictError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
  TransactionRunner,
  UnprocessableError,
  duplicateKeyName,
  isDuplicateKeyError,
  toCountyIso,
  type AuthUser,
  type Page,
} from '@care/core';
import {
  CareOrdersService,
  CreateCareOrderDto,
  applyTransition,
  canTransition,
  isValidIdempotencyKey,
  lockOrder,
} from '@care/care-orders';
import type { AlertType } from './rules/alerts';
import {
  DEMO_DEVICE_PREFIX,
  EMERGENCY_SERVICES,
  type CallOutcome,
  type CallSource,
  type CallStatus,
  callRequestHash,
  emergencyOrderWindow,
  isDemoDevice,
  isValidDeviceId,
  secondsBetween,
} from './rules/calls';

/** Rows per multi-row INSERT of devices. */
const DEVICES_PER_INSERT = 500;

export interface RaiseCallInput {
  residentId?: string;
  deviceId?: string;
  source: CallSource;
  notes?: string;
  services?: string[];
}

export interface CallCreatedView {
  id: string;
  residentId: string;
  orderId: string;
  status: CallStatus;
  receivedAt: string;
}

export interface EscalationView {
  type: AlertType;
  alertId: string;
  raisedAt: string;
  status: string;
}

export interface CallView extends CallCreatedView {
  residentName: string | null;
  regionCode: string;
  source: string;
  deviceId: string | null;
  notes: string | null;
  /** Presses (or calls) joined to this open call after the first. */
  repeats: number;
  orderStatus: string;
  caregiverId: string | null;
  circleWidened: boolean;
  assignedAt: string | null;
  acceptedAt: string | null;
  checkInAt: string | null;
  /** Seconds from the call to the order's (current) assignment; null until assigned. */
  secondsToAssign: number | null;
  /** Seconds from the call to the caregiver's check-in; null until checked in. */
  secondsToArrive: number | null;
  escalations: EscalationView[];
  outcome: CallOutcome | null;
  resolutionNotes: string | null;
  resolvedAt: string | null;
}

interface CallRow {
  id: string;
  resident_id: string;
  resident_name: string | null;
  region_code: string;
  order_id: string;
  device_id: string | null;
  source: string;
  notes: string | null;
  status: CallStatus;
  presses: number | string;
  received_at: Date;
  outcome: CallOutcome | null;
  resolution_notes: string | null;
  resolved_at: Date | null;
  order_status: string;
  caregiver_id: string | null;
  circle_widened: number | string;
  assigned_at: Date | null;
  accepted_at: Date | null;
  checked_in_at: Date | null;
  request_hash: string | null;
}

const CALL_SELECT = `
  SELECT c.id, c.resident_id, r.name AS resident_name, c.region_code, c.order_id, c.device_id, c.source, c.notes,
         c.status, c.presses, c.received_at, c.outcome, c.resolution_notes, c.resolved_at, c.request_hash,
         o.status AS order_status, o.caregiver_id, o.circle_widened, o.assigned_at, o.accepted_at, v.checked_in_at
    FROM emergency_calls c
    JOIN care_orders o ON o.id = c.order_id
    LEFT JOIN residents r ON r.id = c.resident_id
    LEFT JOIN care_visits v ON v.order_id = c.order_id`;

const isoOrNull = (d: Date | null): string | null => (d === null ? null : toCountyIso(new Date(d)));
const iso = (d: Date): string => toCountyIso(new Date(d)) as string;

/** The call's order was written, but a concurrent request holds the same key or the resident's open call. */
class JoinExisting extends Error {
  constructor(readonly key: string | undefined) {
    super('join an existing call');
  }
}

/**
 * Emergency calls (一键呼叫) and the one-key devices on residents. A call makes an urgent care order through
 * care-orders' own creation path (CareOrdersService.create, as POST /care-orders), with the call's row written in
 * the order's transaction, so the order is dispatched like any urgent order and the two commit together.
 *
 * Retries never raise two calls: the same Idempotency-Key (per user) answers the same call, and while a resident
 * has an open call any further press or call for that resident joins it (counted in `repeats`), however close
 * together the requests come (unique keys on the table decide, not a read before the write).
 */
@Injectable()
export class EmergencyCallsService {
  constructor(
    private readonly db: DataSource,
    private readonly tx: TransactionRunner,
    private readonly orders: CareOrdersService,
  ) {}

  /** PUT /residents/:id/device: registers (or moves) a device to a resident; the resident's old device goes. */
  async registerDevice(
    user: AuthUser,
    residentId: string,
    deviceId: string,
  ): Promise<{ residentId: string; deviceId: string }> {
    if (!isValidDeviceId(deviceId)) throw new InvalidInputError('deviceId: 1–64 printable characters without spaces');
    if (deviceId.startsWith(DEMO_DEVICE_PREFIX))
      throw new InvalidInputError(`deviceId: the prefix ${DEMO_DEVICE_PREFIX} is reserved for the demo county`);
    return this.tx.run(async (em) => {
      const residents: { id: string }[] = await em.query('SELECT id FROM residents WHERE id = ? FOR UPDATE', [
        residentId,
      ]);
      if (residents.length === 0) throw new NotFoundError('Resident', residentId);
      const holder: { resident_id: string }[] = await em.query(
        'SELECT resident_id FROM resident_devices WHERE device_id = ? FOR UPDATE',
        [deviceId],
      );
      if (holder[0] && holder[0].resident_id !== residentId)
        throw new ConflictError('DEVICE_TAKEN', 'This device is registered on another resident; remove it there first');
      await em.query('DELETE FROM resident_devices WHERE resident_id = ? AND device_id <> ?', [residentId, deviceId]);
      await em.query(
        `INSERT INTO resident_devices (device_id, resident_id, registered_by, registered_at) VALUES (?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE registered_by = VALUES(registered_by), registered_at = VALUES(registered_at)`,
        [deviceId, residentId, user.id, new Date()],
      );
      return { residentId, deviceId };
    });
  }

  /**
   * The demo county's devices, many at once (multi-row INSERTs, one transaction). Only ids with the demo prefix:
   * that prefix is how the simulate button knows demo data, and the api refuses it in PUT /residents/:id/device.
   */
  async registerDemoDevices(devices: readonly { deviceId: string; residentId: string }[]): Promise<number> {
    const wrong = devices.findIndex((d) => !isValidDeviceId(d.deviceId) || !isDemoDevice(d.deviceId));
    if (wrong >= 0)
      throw new InvalidInputError(`devices[${wrong}].deviceId: a demo device id starts with ${DEMO_DEVICE_PREFIX}`);
    await this.tx.run(async (em) => {
      for (let i = 0; i < devices.length; i += DEVICES_PER_INSERT) {
        const part = devices.slice(i, i + DEVICES_PER_INSERT);
        await em.query(
          `INSERT INTO resident_devices (device_id, resident_id) VALUES ${part.map(() => '(?, ?)').join(', ')}`,
          part.flatMap((d) => [d.deviceId, d.residentId]),
        );
      }
    });
    return devices.length;
  }

  /** POST /emergency-calls. `created` is false when the request joined an existing call (retry or repeated press). */
  async raise(
    user: AuthUser,
    input: RaiseCallInput,
    idempotencyKey?: string,
  ): Promise<{ call: CallCreatedView; created: boolean }> {
    const key = idempotencyKey === undefined || idempotencyKey === '' ? undefined : idempotencyKey;
    if (key !== undefined && !isValidIdempotencyKey(key))
      throw new InvalidInputError('Idempotency-Key: must be 1–255 printable ASCII characters');
    if ((input.residentId === undefined) === (input.deviceId === undefined))
      throw new InvalidInputError('residentId, deviceId: give exactly one of them');
    const hash = callRequestHash(input);

    if (key !== undefined) {
      const earlier = await this.byKey(user.id, key, hash);
      if (earlier) return { call: earlier, created: false };
    }
    const residentId = input.residentId ?? (await this.residentOfDevice(input.deviceId as string));
    const open = await this.joinOpen(residentId);
    if (open) return { call: open, created: false };

    const receivedAt = new Date();
    const { windowStart, windowEnd } = emergencyOrderWindow(receivedAt);
    const dto = Object.assign(new CreateCareOrderDto(), {
      residentId,
      services: input.services ?? [...EMERGENCY_SERVICES],
      windowStart: iso(windowStart),
      windowEnd: iso(windowEnd),
      priority: 'urgent' as const,
      notes: input.notes ?? `紧急呼叫 (${input.source})`,
    });
    const callId = randomUUID();
    let orderId = '';
    try {
      await this.orders.create(user, dto, undefined, {
        source: 'emergency',
        within: async (em: EntityManager, newOrderId: string) => {
          orderId = newOrderId;
          try {
            await em.query(
              `INSERT INTO emergency_calls (id, resident_id, region_code, order_id, device_id, source, notes, status,
                                            received_at, created_by, idem_key, request_hash)
               SELECT ?, r.id, r.region_code, ?, ?, ?, ?, 'open', ?, ?, ?, ? FROM residents r WHERE r.id = ?`,
              [
                callId,
                newOrderId,
                input.deviceId ?? null,
                input.source,
                input.notes ?? null,
                receivedAt,
                user.id,
                key ?? null,
                hash,
                residentId,
              ],
            );
          } catch (error) {
            if (isDuplicateKeyError(error)) throw new JoinExisting(duplicateKeyName(error));
            throw error;
          }
        },
      });
    } catch (error) {
      if (!(error instanceof JoinExisting)) throw error;
      // a concurrent request won: the order above rolled back with our call row
      if (key !== undefined) {
        const earlier = await this.byKey(user.id, key, hash);
        if (earlier) return { call: earlier, created: false };
      }
      const joined = await this.joinOpen(residentId);
      if (joined) return { call: joined, created: false };
      throw new ConflictError('CALL_CHANGED', 'A concurrent call for this resident changed meanwhile; retry');
    }
    return {
      call: { id: callId, residentId, orderId, status: 'open', receivedAt: iso(receivedAt) },
      created: true,
    };
  }

  /** POST /emergency-calls/simulate (admin): a press of a demo resident's device, refused for anyone else. */
  async simulate(user: AuthUser, residentId: string): Promise<{ call: CallCreatedView; created: boolean }> {
    const rows: { device_id: string }[] = await this.db.query(
      'SELECT device_id FROM resident_devices WHERE resident_id = ?',
      [residentId],
    );
    if (!rows[0] || !isDemoDevice(rows[0].device_id))
      throw new UnprocessableError(
        'NOT_DEMO_DATA',
        'Only a demo resident (with a demo device) can be pressed from the console',
      );
    return this.raise(user, { deviceId: rows[0].device_id, source: 'one_key_device', notes: '演示：模拟一键呼叫' });
  }

  async list(query: {
    status?: CallStatus;
    residentId?: string;
    limit: number;
    offset: number;
  }): Promise<Page<CallView>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.status) {
      where.push('c.status = ?');
      params.push(query.status);
    }
    if (query.residentId) {
      where.push('c.resident_id = ?');
      params.push(query.residentId);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [rows, total]: [CallRow[], { n: number | string }[]] = await Promise.all([
      this.db.query(`${CALL_SELECT} ${clause} ORDER BY c.received_at DESC, c.id LIMIT ? OFFSET ?`, [
        ...params,
        query.limit,
        query.offset,
      ]),
      this.db.query(`SELECT COUNT(*) AS n FROM emergency_calls c ${clause}`, params),
    ]);
    return { items: await this.views(rows), total: Number(total[0].n) };
  }

  async get(id: string): Promise<CallView> {
    const rows: CallRow[] = await this.db.query(`${CALL_SELECT} WHERE c.id = ?`, [id]);
    if (!rows[0]) throw new NotFoundError('Emergency call', id);
    return (await this.views(rows))[0];
  }

  /**
   * POST /emergency-calls/:id/resolve. A call resolved as anything but `visited` calls off its order if the visit has
   * not begun (a false alarm, or the elder went to hospital, needs no caregiver any more).
   */
  async resolve(user: AuthUser, id: string, outcome: CallOutcome, notes?: string): Promise<CallView> {
    await this.tx.run(async (em) => {
      const rows: { status: CallStatus; order_id: string }[] = await em.query(
        'SELECT status, order_id FROM emergency_calls WHERE id = ? FOR UPDATE',
        [id],
      );
      const call = rows[0];
      if (!call) throw new NotFoundError('Emergency call', id);
      if (call.status !== 'open') throw new InvalidTransitionError('Emergency call', call.status, 'resolve');
      await em.query(
        `UPDATE emergency_calls SET status = 'resolved', outcome = ?, resolution_notes = ?, resolved_at = ?, resolved_by = ?
          WHERE id = ?`,
        [outcome, notes ?? null, new Date(), user.id, id],
      );
      if (outcome !== 'visited') {
        const order = await lockOrder(em, call.order_id);
        if (order && canTransition(order.status, 'cancel')) {
          await applyTransition(em, order, 'cancel', {
            cancelledAt: new Date(),
            cancelReason: `emergency call resolved: ${outcome}${notes ? ` (${notes})` : ''}`,
          });
        }
      }
    });
    return this.get(id);
  }

  private async views(rows: CallRow[]): Promise<CallView[]> {
    if (rows.length === 0) return [];
    const alerts: { id: string; type: AlertType; order_id: string; raised_at: Date; status: string }[] =
      await this.db.query(
        `SELECT id, type, order_id, raised_at, status FROM alerts WHERE order_id IN (${rows.map(() => '?').join(',')})
        AND type LIKE 'emergency%' ORDER BY raised_at, type`,
        rows.map((r) => r.order_id),
      );
    return rows.map((r) => {
      const receivedAt = new Date(r.received_at);
      const assignedAt = r.assigned_at === null ? null : new Date(r.assigned_at);
      const checkInAt = r.checked_in_at === null ? null : new Date(r.checked_in_at);
      return {
        id: r.id,
        residentId: r.resident_id,
        residentName: r.resident_name,
        regionCode: r.region_code,
        orderId: r.order_id,
        status: r.status,
        source: r.source,
        deviceId: r.device_id,
        notes: r.notes,
        receivedAt: iso(receivedAt),
        repeats: Number(r.presses) - 1,
        orderStatus: r.order_status,
        caregiverId: r.caregiver_id,
        circleWidened: Number(r.circle_widened) === 1,
        assignedAt: isoOrNull(assignedAt),
        acceptedAt: isoOrNull(r.accepted_at),
        checkInAt: isoOrNull(checkInAt),
        secondsToAssign: secondsBetween(receivedAt, assignedAt),
        secondsToArrive: secondsBetween(receivedAt, checkInAt),
        escalations: alerts
          .filter((a) => a.order_id === r.order_id)
          .map((a) => ({ type: a.type, alertId: a.id, raisedAt: iso(a.raised_at), status: a.status })),
        outcome: r.outcome,
        resolutionNotes: r.resolution_notes,
        resolvedAt: isoOrNull(r.resolved_at),
      };
    });
  }

  private async byKey(userId: string, key: string, hash: string): Promise<CallCreatedView | null> {
    const rows: CallRow[] = await this.db.query(`${CALL_SELECT} WHERE c.created_by = ? AND c.idem_key = ?`, [
      userId,
      key,
    ]);
    const row = rows[0];
    if (!row) return null;
    if (row.request_hash !== hash)
      throw new ConflictError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used for another call; use a new key for a new call',
      );
    return created(row);
  }

  /** The resident's open call, counted as pressed once more; null when there is none. */
  private async joinOpen(residentId: string): Promise<CallCreatedView | null> {
    const result: unknown = await this.db.query(
      "UPDATE emergency_calls SET presses = presses + 1 WHERE resident_id = ? AND status = 'open'",
      [residentId],
    );
    if (affectedRows(result) === 0) return null;
    const rows: CallRow[] = await this.db.query(`${CALL_SELECT} WHERE c.resident_id = ? AND c.status = 'open'`, [
      residentId,
    ]);
    return rows[0] ? created(rows[0]) : null;
  }

  private async residentOfDevice(deviceId: string): Promise<string> {
    const rows: { resident_id: string }[] = await this.db.query(
      'SELECT resident_id FROM resident_devices WHERE device_id = ?',
      [deviceId],
    );
    if (!rows[0]) throw new UnprocessableError('UNKNOWN_DEVICE', `No resident has device "${deviceId}" registered`);
    return rows[0].resident_id;
  }
}

function created(row: CallRow): CallCreatedView {
  return {
    id: row.id,
    residentId: row.resident_id,
    orderId: row.order_id,
    status: row.status,
    receivedAt: iso(row.received_at),
  };
}

function affectedRows(result: unknown): number {
  if (Array.isArray(result)) return typeof result[1] === 'number' ? result[1] : affectedRows(result[0]);
  const packet = result as { affectedRows?: number } | null;
  return packet?.affectedRows ?? 0;
}
