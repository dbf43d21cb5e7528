import { RequestMethod } from '@nestjs/common';
import { auditRouteProblems, auditedRouteOf, type AuditedRoute } from './audit-routes';

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

describe('auditedRouteOf (the route a request matched, by its Fastify pattern)', () => {
  const admit: AuditedRoute = { kind: 'write', action: 'stays.admit' };
  const getResident: AuditedRoute = { kind: 'read', action: 'residents.get', residents: true, residentParam: null };
  const updateResident: AuditedRoute = { kind: 'write', action: 'residents.update' };
  const facilityResident: AuditedRoute = {
    kind: 'read',
    action: 'facilities.resident',
    residents: true,
    residentParam: 'id',
  };
  const routes = [
    {
      name: 'StaysController.admit',
      path: '/facilities/:facilityId/admissions',
      method: RequestMethod.POST,
      audit: admit,
    },
    { name: 'ResidentsController.get', path: '/residents/:id', method: RequestMethod.GET, audit: getResident },
    { name: 'ResidentsController.update', path: '/residents/:id', method: RequestMethod.PATCH, audit: updateResident },
    {
      name: 'FacilitiesController.resident',
      path: '/facilities/:facilityId/residents/:id',
      method: RequestMethod.GET,
      audit: facilityResident,
    },
    { name: 'HealthController.get', path: '/health', method: RequestMethod.GET, audit: { kind: 'none' as const } },
    {
      name: 'RootController.index',
      path: '/',
      method: RequestMethod.POST,
      audit: { kind: 'write' as const, action: 'root.index' },
    },
  ];

  it('finds the route under the global prefix, by method', () => {
    expect(auditedRouteOf(routes, '/api/v1/facilities/:facilityId/admissions', 'POST')).toBe(admit);
    expect(auditedRouteOf(routes, '/api/v1/residents/:id', 'GET')).toBe(getResident);
    expect(auditedRouteOf(routes, '/api/v1/residents/:id', 'PATCH')).toBe(updateResident);
    expect(auditedRouteOf(routes, '/api/v1/residents/:id', 'DELETE')).toEqual({ kind: 'none' });
  });

  it('takes the longest path the pattern ends with, and reads a HEAD as its GET', () => {
    expect(auditedRouteOf(routes, '/api/v1/facilities/:facilityId/residents/:id', 'GET')).toBe(facilityResident);
    expect(auditedRouteOf(routes, '/api/v1/residents/:id', 'HEAD')).toBe(getResident);
  });

  it('matches / only as itself, and leaves patterns of no known route (static files, the queue board) unaudited', () => {
    expect(auditedRouteOf(routes, '/', 'POST')).toEqual({ kind: 'write', action: 'root.index' });
    expect(auditedRouteOf(routes, '/admin/queues/', 'POST')).toEqual({ kind: 'none' });
    expect(auditedRouteOf(routes, '/assets/index.js', 'GET')).toEqual({ kind: 'none' });
    expect(auditedRouteOf(routes, '/health', 'GET')).toEqual({ kind: 'none' });
  });
});
