import { RequestMethod } from '@nestjs/common';
import { auditRouteProblems, type AuditedRoute } from './audit-routes';

const route = (name: string, path: string, method: RequestMethod, audit: AuditedRoute) => ({
  name,
  path,
  method,
  audit,
});

describe('auditRouteProblems (the start-up check)', () => {
  it('accepts distinct, well-formed action names', () => {
    expect(
      auditRouteProblems([
        route('StaysController.admit', '/facilities/:facilityId/admissions', RequestMethod.POST, {
          kind: 'write',
          action: 'stays.admit',
        }),
        route('StaysController.get', '/stays/:id', RequestMethod.GET, {
          kind: 'read',
          action: 'stays.get',
          residents: false,
          residentParam: null,
        }),
        route('RegionsController.list', '/regions', RequestMethod.GET, { kind: 'none' }),
        route('AuditEventsController.list', '/audit-events', RequestMethod.GET, { kind: 'none' }),
      ]),
    ).toEqual([]);
  });

  it('refuses two routes with one action name, a malformed name, and any write under /audit-events', () => {
    const problems = auditRouteProblems([
      route('AController.create', '/a', RequestMethod.POST, { kind: 'write', action: 'a.create' }),
      route('BController.create', '/b', RequestMethod.POST, { kind: 'write', action: 'a.create' }),
      route('CController.do', '/c', RequestMethod.PUT, { kind: 'write', action: 'Bad Name' }),
      route('DController.do', '/d', RequestMethod.PUT, { kind: 'write', action: `d.${'x'.repeat(80)}` }),
      route('AuditEventsController.remove', '/audit-events/:id', RequestMethod.DELETE, {
        kind: 'write',
        action: 'audit-events.remove',
      }),
    ]);
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/BController.create and AController.create share the action name "a.create"/);
    expect(problems.join('\n')).toMatch(/CController.do has no usable action name/);
    expect(problems.join('\n')).toMatch(/DController.do has no usable action name/);
    expect(problems.join('\n')).toMatch(/AuditEventsController.remove would change audit events/);
  });
});
