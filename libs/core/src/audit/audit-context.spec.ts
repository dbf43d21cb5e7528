import { auditContext, defaultAuditAction, AUDIT_ACTION_PATTERN, type AuditScope } from './audit-context';

const scope = (): AuditScope => ({
  action: 'tests.write',
  kind: 'write',
  actor: { id: null, username: null, role: null },
  ip: null,
  requestId: null,
  entity: null,
  entityIds: [],
  residentIds: [],
  eventCommitted: false,
});

describe('defaultAuditAction', () => {
  it.each([
    ['StaysController', 'admit', 'stays.admit'],
    ['CareOrdersController', 'checkIn', 'care-orders.check-in'],
    ['ResidentsController', 'create', 'residents.create'],
    ['AuthController', 'login', 'auth.login'],
    ['AuthController', 'createUser', 'auth.create-user'],
  ])('%s.%s → %s', (controller, handler, expected) => {
    expect(defaultAuditAction(controller, handler)).toBe(expected);
    expect(AUDIT_ACTION_PATTERN.test(expected)).toBe(true);
  });
});

describe('auditContext', () => {
  it('notes nothing outside a scope', () => {
    expect(() => auditContext.note({ ids: ['a'] })).not.toThrow();
    expect(auditContext.current()).toBeUndefined();
  });

  it('collects ids once each, keeps the first entity, and survives awaits', async () => {
    const s = scope();
    await auditContext.run(s, async () => {
      auditContext.note({ entity: 'stay', ids: ['s1'], residentIds: ['r1', null, undefined, ''] });
      await new Promise((resolve) => setTimeout(resolve, 1));
      auditContext.note({ entity: 'bed', ids: ['s1', 'b1'], residentIds: ['r1'] });
    });
    expect(s).toMatchObject({ entity: 'stay', entityIds: ['s1', 'b1'], residentIds: ['r1'] });
  });

  it('forgets the notes of a rolled-back attempt', () => {
    const s = scope();
    auditContext.run(s, () => {
      auditContext.note({ ids: ['kept'] });
      const mark = auditContext.mark();
      auditContext.note({ entity: 'stay', ids: ['attempt-1'], residentIds: ['r1'] });
      auditContext.restore(mark);
      auditContext.note({ ids: ['attempt-2'] });
    });
    expect(s).toMatchObject({ entity: null, entityIds: ['kept', 'attempt-2'], residentIds: [] });
  });
});
