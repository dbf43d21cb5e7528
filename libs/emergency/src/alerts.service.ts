import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
  TransactionRunner,
  toCountyIso,
  type AuthUser,
  type Page,
} from '@care/core';
import { CareOrdersService, applyTransition, lockOrder, type CareOrderView } from '@care/care-orders';
import {
  NOT_STARTED_BEFORE_END_MS,
  VISIT_ALERT_LOOKBACK_MS,
  alertDetail,
  dueAlerts,
  isExpired,
  type AlertStatus,
  type AlertType,
  type WatchedOrder,
} from './rules/alerts';

export interface AlertView {
  id: string;
  type: AlertType;
  orderId: string;
  callId: string | null;
  residentId: string;
  residentName: string | null;
  regionCode: string;
  status: AlertStatus;
  detail: string | null;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  note: string | null;
}

interface WatchedRow {
  id: string;
  status: string;
  resident_id: string;
  region_code: string;
  window_end: Date;
  duration_minutes: number | string;
  checked_in_at: Date | null;
  call_id: string | null;
  received_at: Date | null;
  call_status: string | null;
}

/** Orders looked at per scan and per kind (a backlog is worked off over the next minutes). */
const SCAN_LIMIT = 5000;
const iso = (d: Date): string => toCountyIso(new Date(d)) as string;

const WATCHED_SELECT = `
  SELECT o.id, o.status, o.resident_id, o.region_code, o.window_end, o.duration_minutes, v.checked_in_at,
         c.id AS call_id, c.received_at, c.status AS call_status
    FROM care_orders o
    LEFT JOIN care_visits v ON v.order_id = o.id
    LEFT JOIN emergency_calls c ON c.order_id = o.id`;

/**
 * The alerts the system raises by itself, and the visits it closes. `scan` is the ScanAlerts job (once a minute in the
 * dispatcher, and at once when dispatch leaves an emergency order unassigned): it loads the orders that may be due,
 * asks the pure rules (rules/alerts.ts) which alerts are due, and inserts them with INSERT IGNORE on the unique key
 * (type, order): each alert is raised once however many dispatchers scan at the same moment.
 */
@Injectable()
export class AlertsService {
  private readonly logger = new Logger(AlertsService.name);

  constructor(
    private readonly db: DataSource,
    private readonly tx: TransactionRunner,
    private readonly orders: CareOrdersService,
  ) {}

  /** Open alerts per type (the metrics' care_alerts_open); one grouped read. */
  async openCounts(): Promise<{ type: string; open: number }[]> {
    const rows = await this.db.query<{ type: string; open: number | string }[]>(
      "SELECT type, COUNT(*) AS open FROM alerts WHERE status = 'open' GROUP BY type",
    );
    return rows.map((row) => ({ type: row.type, open: Number(row.open) }));
  }

  async scan(now = new Date()): Promise<{ raised: number; expired: number }> {
    const t = now.getTime();
    const soon = new Date(t + NOT_STARTED_BEFORE_END_MS);
    const notRaised = (type: AlertType) =>
      `NOT EXISTS (SELECT 1 FROM alerts a WHERE a.order_id = o.id AND a.type = '${type}')`;
    const [planned, running, calls]: WatchedRow[][] = await Promise.all([
      this.db.query(
        `${WATCHED_SELECT} WHERE o.status IN ('assigned', 'accepted') AND o.window_end <= ? AND o.window_end >= ?
            AND ${notRaised('visit_missed')}
          ORDER BY o.window_end LIMIT ${SCAN_LIMIT}`,
        [soon, new Date(t - VISIT_ALERT_LOOKBACK_MS)],
      ),
      this.db.query(
        `${WATCHED_SELECT} WHERE o.status = 'in_progress' AND ${notRaised('visit_overrun')} LIMIT ${SCAN_LIMIT}`,
      ),
      this.db.query(
        `${WATCHED_SELECT} WHERE c.status = 'open' AND (${notRaised('emergency_not_accepted')} OR ${notRaised('emergency_not_arrived')})
          ORDER BY c.received_at LIMIT ${SCAN_LIMIT}`,
      ),
    ]);
    const byOrder = new Map<string, WatchedRow>();
    for (const row of [...planned, ...running, ...calls]) byOrder.set(row.id, row);

    const values: unknown[] = [];
    let rows = 0;
    // rows in key order (order, then type), so two dispatchers scanning at once take the unique key's locks in the same order
    for (const row of [...byOrder.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      const watched = toWatched(row);
      for (const type of [...dueAlerts(watched, t)].sort()) {
        values.push(type, row.id, row.call_id, row.resident_id, row.region_code, alertDetail(type, watched, t), now);
        rows++;
      }
    }
    let raised = 0;
    for (let i = 0; i < rows; i += 500) {
      const chunk = values.slice(i * 7, (i + 500) * 7);
      const n = chunk.length / 7;
      // a concurrent scan can still deadlock with this one on the unique key's gap locks: a transaction is retried
      const result: unknown = await this.tx.run(
        (em) =>
          em.query(
            `INSERT IGNORE INTO alerts (id, type, order_id, call_id, resident_id, region_code, status, detail, raised_at)
             VALUES ${Array.from({ length: n }, () => "(UUID(), ?, ?, ?, ?, ?, 'open', ?, ?)").join(', ')}`,
            chunk,
          ),
        { retries: 6 },
      );
      raised += affectedRows(result);
    }
    const expired = await this.expireOverrun(now);
    if (raised + expired > 0) this.logger.log(`alerts: ${raised} raised, ${expired} visit(s) closed as incomplete`);
    return { raised, expired };
  }

  /** Visits still in progress a day after their overrun alert: closed as `incomplete` (never counted as completed). */
  private async expireOverrun(now: Date): Promise<number> {
    const rows: { order_id: string; raised_at: Date }[] = await this.db.query(
      `SELECT a.order_id, a.raised_at FROM alerts a JOIN care_orders o ON o.id = a.order_id
        WHERE a.type = 'visit_overrun' AND o.status = 'in_progress' AND a.raised_at <= ? LIMIT ${SCAN_LIMIT}`,
      [new Date(now.getTime() - 24 * 3600_000)],
    );
    let expired = 0;
    for (const row of rows) {
      if (!isExpired(new Date(row.raised_at).getTime(), now.getTime())) continue;
      const done = await this.tx.run(async (em) => {
        const order = await lockOrder(em, row.order_id);
        if (!order || order.status !== 'in_progress') return false;
        await applyTransition(em, order, 'expire', {
          closedAt: now,
          closeReason: `no check-out a day after the overrun alert (${iso(row.raised_at)})`,
        });
        return true;
      });
      if (done) expired++;
    }
    return expired;
  }

  async list(query: {
    status?: AlertStatus;
    type?: AlertType;
    orderId?: string;
    limit: number;
    offset: number;
  }): Promise<Page<AlertView>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.status) {
      where.push('a.status = ?');
      params.push(query.status);
    }
    if (query.type) {
      where.push('a.type = ?');
      params.push(query.type);
    }
    if (query.orderId) {
      where.push('a.order_id = ?');
      params.push(query.orderId);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [rows, total]: [AlertRow[], { n: number | string }[]] = await Promise.all([
      this.db.query(
        `SELECT a.*, r.name AS resident_name FROM alerts a LEFT JOIN residents r ON r.id = a.resident_id ${clause}
          ORDER BY a.raised_at DESC, a.id LIMIT ? OFFSET ?`,
        [...params, query.limit, query.offset],
      ),
      this.db.query(`SELECT COUNT(*) AS n FROM alerts a ${clause}`, params),
    ]);
    return { items: rows.map(alertView), total: Number(total[0].n) };
  }

  async acknowledge(user: AuthUser, id: string, note?: string): Promise<AlertView> {
    await this.tx.run(async (em) => {
      const rows: { status: AlertStatus }[] = await em.query('SELECT status FROM alerts WHERE id = ? FOR UPDATE', [id]);
      if (!rows[0]) throw new NotFoundError('Alert', id);
      if (rows[0].status !== 'open') throw new InvalidTransitionError('Alert', rows[0].status, 'acknowledge');
      await em.query(
        "UPDATE alerts SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, note = ? WHERE id = ?",
        [new Date(), user.id, note ?? null, id],
      );
    });
    const rows: AlertRow[] = await this.db.query(
      'SELECT a.*, r.name AS resident_name FROM alerts a LEFT JOIN residents r ON r.id = a.resident_id WHERE a.id = ?',
      [id],
    );
    return alertView(rows[0]);
  }

  /** POST /care-orders/:id/close: the dispatcher closes a visit left in progress, with a reason (status incomplete). */
  async closeOrder(user: AuthUser, orderId: string, reason: string): Promise<CareOrderView> {
    if (reason.trim() === '') throw new InvalidInputError('reason: must not be empty');
    await this.tx.run(async (em) => {
      const order = await lockOrder(em, orderId);
      if (!order) throw new NotFoundError('Care order', orderId);
      await applyTransition(em, order, 'close', { closedAt: new Date(), closeReason: reason });
    });
    return this.orders.get(user, orderId);
  }
}

interface AlertRow {
  id: string;
  type: AlertType;
  order_id: string;
  call_id: string | null;
  resident_id: string;
  resident_name: string | null;
  region_code: string;
  status: AlertStatus;
  detail: string | null;
  raised_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  note: string | null;
}

function alertView(r: AlertRow): AlertView {
  return {
    id: r.id,
    type: r.type,
    orderId: r.order_id,
    callId: r.call_id,
    residentId: r.resident_id,
    residentName: r.resident_name,
    regionCode: r.region_code,
    status: r.status,
    detail: r.detail,
    raisedAt: iso(r.raised_at),
    acknowledgedAt: r.acknowledged_at === null ? null : iso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    note: r.note,
  };
}

function toWatched(row: WatchedRow): WatchedOrder {
  return {
    status: row.status,
    windowEnd: new Date(row.window_end).getTime(),
    durationMinutes: Number(row.duration_minutes),
    checkedInAt: row.checked_in_at === null ? null : new Date(row.checked_in_at).getTime(),
    call:
      row.call_id !== null && row.received_at !== null
        ? { receivedAt: new Date(row.received_at).getTime(), open: row.call_status === 'open' }
        : null,
  };
}

function affectedRows(result: unknown): number {
  if (Array.isArray(result)) return typeof result[1] === 'number' ? result[1] : affectedRows(result[0]);
  const packet = result as { affectedRows?: number } | null;
  return packet?.affectedRows ?? 0;
}
