export * from './audit.module';
export { AuditWriter, type AuditEventRecord } from './audit-writer';
export { AuditEventsService, type AuditEventView } from './audit-events.service';
export { auditRouteProblems, describeRoute, AuditRouteCheck } from './audit-routes';
export { residentIdsIn } from './rules/resident-ids';
// the context and decorators services and controllers use live in core, below every domain library
export { auditContext, AuditAction, AuditRead } from '@care/core';
