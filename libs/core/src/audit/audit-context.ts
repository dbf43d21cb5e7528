import { AsyncLocalStorage } from 'node:async_hooks';
import { SetMetadata } from '@nestjs/common';

/**
 * The audit trail's request context. It lives in core (not in @care/audit) because the two things that must see it
 * sit below every domain library: `TransactionRunner`, which writes a write's event inside the transaction just
 * before COMMIT, and the services, which say which records a request touched (`auditContext.note(...)`). The table,
 * the writer and the hooks that open this context around each request are in `libs/audit`.
 */

/** Who acted. `username` and `role` are the account's, never a typed value. */
export interface AuditActor {
  id: string | null;
  username: string | null;
  role: string | null;
}

/** What a service adds while it works: the records it wrote or read and the residents they belong to. */
export interface AuditNote {
  /** e.g. 'stay', 'resident', 'care-order'; the first note's entity wins. */
  entity?: string;
  ids?: readonly (string | null | undefined)[];
  residentIds?: readonly (string | null | undefined)[];
}

/** One audited request (a write route, or a read of residents' personal data). */
export interface AuditScope {
  action: string;
  kind: 'write' | 'read';
  actor: AuditActor;
  ip: string | null;
  requestId: string | null;
  entity: string | null;
  entityIds: string[];
  residentIds: string[];
  /** Set once a transaction of this request has committed with its event. */
  eventCommitted: boolean;
}

/** A position in a scope's id lists, to undo the notes of a transaction attempt that rolled back. */
export interface AuditMark {
  entityIds: number;
  residentIds: number;
  entity: string | null;
}

const storage = new AsyncLocalStorage<AuditScope>();

function add(into: string[], values: readonly (string | null | undefined)[] | undefined): void {
  if (!values) return;
  for (const value of values) {
    if (typeof value === 'string' && value !== '' && !into.includes(value)) into.push(value);
  }
}

export const auditContext = {
  /** Runs `fn` with `scope` as the current audit scope (the audit hooks do this per request). */
  run<T>(scope: AuditScope, fn: () => T): T {
    return storage.run(scope, fn);
  },

  current(): AuditScope | undefined {
    return storage.getStore();
  },

  /** Records which entities and residents the current request touched. A no-op outside an audited request. */
  note(note: AuditNote): void {
    const scope = storage.getStore();
    if (scope) auditContext.noteOn(scope, note);
  },

  /** The same, on a scope held by hand (the audit hooks, around the request). */
  noteOn(scope: AuditScope, note: AuditNote): void {
    if (note.entity && scope.entity === null) scope.entity = note.entity;
    add(scope.entityIds, note.ids);
    add(scope.residentIds, note.residentIds);
  },

  mark(): AuditMark | undefined {
    const scope = storage.getStore();
    return scope && { entityIds: scope.entityIds.length, residentIds: scope.residentIds.length, entity: scope.entity };
  },

  /** Forgets the notes made since `mark` (a transaction attempt that rolled back, e.g. before a deadlock retry). */
  restore(mark: AuditMark | undefined): void {
    const scope = storage.getStore();
    if (!scope || !mark) return;
    scope.entityIds.length = Math.min(scope.entityIds.length, mark.entityIds);
    scope.residentIds.length = Math.min(scope.residentIds.length, mark.residentIds);
    scope.entity = mark.entity;
  },
};

export const AUDIT_ACTION_KEY = 'care:auditAction';
export const AUDIT_READ_KEY = 'care:auditRead';

/**
 * Overrides the action name a route's events carry. Without it the name is derived from the controller and
 * handler: `CareOrdersController.checkIn` → `care-orders.check-in` (see `defaultAuditAction`).
 */
export const AuditAction = (name: string) => SetMetadata(AUDIT_ACTION_KEY, name);

export interface AuditReadOptions {
  /** Overrides the derived action name. */
  action?: string;
  /** The response's objects (or its `items`) are residents themselves: their `id` is a resident id. */
  residents?: boolean;
  /** A path parameter that names a resident (e.g. 'id' on /residents/:id/assessments), listed even for an empty result. */
  residentParam?: string;
}

/**
 * Marks a GET route that returns residents' personal data: after a successful read, one read event lists the resident
 * ids found in the response (`residentId`, `reservedForResidentId`, `resident.id`, and with `residents: true` the
 * `id` of the returned objects), plus a `residentId` query or path parameter and the `residentParam` one. Read events are written asynchronously in batches and never fail the read.
 */
export const AuditRead = (options: AuditReadOptions = {}) => SetMetadata(AUDIT_READ_KEY, options);

function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** The default action name of a route: `<controller without "Controller", kebab>.<handler, kebab>`. */
export function defaultAuditAction(controllerName: string, handlerName: string): string {
  return `${kebab(controllerName.replace(/Controller$/, ''))}.${kebab(handlerName)}`;
}

export const AUDIT_ACTION_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
