import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InvalidInputError, toCountyIso, type Page } from '@care/core';
import type { ListAuditEventsQueryDto } from './dto/list-audit-events.dto';

export interface AuditEventView {
  id: string;
  at: string;
  actorId: string | null;
  actorUsername: string | null;
  role: string | null;
  action: string;
  entity: string | null;
  entityIds: string[];
  residentIds: string[];
  requestId: string | null;
  ip: string | null;
  outcome: string;
}

interface Row {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_username: string | null;
  role: string | null;
  action: string;
  entity: string | null;
  entity_ids: unknown;
  resident_ids: unknown;
  request_id: string | null;
  ip: string | null;
  outcome: string;
}

function ids(value: unknown): string[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
}

function instant(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidInputError(`${field}: not a valid instant`);
  return date;
}

/** Reads the audit trail. There is deliberately no method that changes or deletes an event. */
@Injectable()
export class AuditEventsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: ListAuditEventsQueryDto): Promise<Page<AuditEventView>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const from = instant(query.from, 'from');
    const to = instant(query.to, 'to');
    // by resident: the child table's (resident_id, at) index gives the events in time order
    const source = query.residentId
      ? 'audit_event_residents r JOIN audit_events e ON e.id = r.event_id'
      : 'audit_events e';
    const at = query.residentId ? 'r.at' : 'e.at';
    if (query.residentId) {
      where.push('r.resident_id = ?');
      params.push(query.residentId);
    }
    if (query.actorId) {
      where.push('e.actor_id = ?');
      params.push(query.actorId);
    }
    if (query.action) {
      where.push('e.action = ?');
      params.push(query.action);
    }
    if (from) {
      where.push(`${at} >= ?`);
      params.push(from);
    }
    if (to) {
      where.push(`${at} < ?`);
      params.push(to);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [rows, count] = await Promise.all([
      this.dataSource.query(
        `SELECT e.id, e.at, e.actor_id, e.actor_username, e.role, e.action, e.entity, e.entity_ids, e.resident_ids,
                e.request_id, e.ip, e.outcome
           FROM ${source} ${clause}
          ORDER BY ${at} DESC, e.id DESC LIMIT ? OFFSET ?`,
        [...params, query.limit, query.offset],
      ) as Promise<Row[]>,
      this.dataSource.query(`SELECT COUNT(*) AS n FROM ${source} ${clause}`, params) as Promise<
        { n: string | number }[]
      >,
    ]);
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: toCountyIso(r.at) ?? '',
        actorId: r.actor_id,
        actorUsername: r.actor_username,
        role: r.role,
        action: r.action,
        entity: r.entity,
        entityIds: ids(r.entity_ids),
        residentIds: ids(r.resident_ids),
        requestId: r.request_id,
        ip: r.ip,
        outcome: r.outcome,
      })),
      total: Number(count[0]?.n ?? 0),
    };
  }
}
