import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { itemsForTotal } from '@care/assessments';
import { countyDate, countyMonth, DAY_MS, type Role } from '@care/core';
import { ADMIN_PASSWORD, auth, createTestApp, type TestContext } from '@care/testing';
import { API, TOWNSHIP, createBed, createFacility, facilityBody, makeIdNumber } from './support/care-homes';
import { buildApp } from '../support/apps';

/**
 * The authorization matrix (issue 10): every controller route of the running api × every role × own/other facility
 * (managers) or own/other caregiver (caregivers), expected outcome from the ONE table below (MATRIX).
 *
 * - The routes come from Nest's route metadata (DiscoveryService, MetadataScanner, PATH/METHOD metadata), so a new
 *   route without a row fails the test ("routes without a row"), and so does a row whose route is gone.
 * - A caller whose role is not in the row's `roles` must get 403.
 * - A manager of ANOTHER facility must get 404 on a row with `scope: 'facility'` (the resources used live in the
 *   own facility), a caregiver other than the assigned one 404 on a row with `scope: 'caregiver'`.
 * - An allowed caller passes when the answer is 2xx, or a 4xx other than 401/403/404 (a 409 because an earlier
 *   allowed caller already discharged the stay, a 400 the route gives for the shared body). Bodies are valid for
 *   the first allowed caller; "allowed" means the guard and the scope let the caller through, which is what this
 *   test is about. Never a 5xx.
 * - Every non-public route without a token: 401.
 *
 * To extend (another stream's routes after the merge): add one row per route, keyed `METHOD /path` as Nest declares
 * it (path parameters as `:name`, no /api/v1 prefix); give `roles`, `scope` when a manager or caregiver is limited
 * to its own, and `body`/`query` when the route needs them. Path parameters are filled from PARAMS by the first
 * path segment (e.g. `/care-orders/:id` → the seeded order) unless the row gives `params`.
 */

const A: Role = 'admin';
const B: Role = 'bureau';
const M: Role = 'manager';
const D: Role = 'dispatcher';
const C: Role = 'caregiver';
const HUMANS: Role[] = [A, B, M, D, C];

interface Seed {
  facility: string;
  otherFacility: string;
  resident: string;
  admitResident: string;
  bed: string;
  spareBed: string;
  stay: string;
  entry: string;
  assessment: string;
  servicePoint: string;
  caregiver: string;
  order: string;
  date: string;
  month: string;
  user: string;
  call: string;
  alert: string;
}

interface Row {
  /** roles that may call the route; every other role gets 403 */
  roles: Role[] | 'public';
  /** a manager of another facility / a caregiver other than the assigned one gets 404 */
  scope?: 'facility' | 'caregiver';
  body?: (s: Seed) => object;
  query?: (s: Seed) => Record<string, string>;
  params?: (s: Seed) => Record<string, string>;
}

let counter = 0;
const next = () => ++counter;

const MATRIX: Record<string, Row> = {
  // ---- health, auth, users
  'GET /health': { roles: 'public' },
  // admins, or a client from METRICS_ALLOW (empty in tests), as the metrics e2e test shows
  'GET /metrics': { roles: [A] },
  'POST /auth/login': { roles: 'public', body: () => ({ username: 'admin', password: ADMIN_PASSWORD }) },
  'GET /auth/me': { roles: HUMANS },
  'POST /users': {
    roles: [A],
    body: () => ({ username: `matrix${next()}`, password: 'password-123', role: 'dispatcher' }),
  },
  'GET /users': { roles: [A] },
  'PATCH /users/:id': { roles: [A], body: () => ({ active: true }) },
  'POST /users/:id/password': { roles: [A], body: () => ({ password: `matrix-password-${next()}` }) },
  // a wrong current password answers 400 to every role that may call it, and changes nothing
  'POST /auth/password': {
    roles: HUMANS,
    body: () => ({ currentPassword: 'not-the-password', newPassword: 'another-password-1' }),
  },
  'GET /audit-events': { roles: [A, B] },
  // ---- regions (reference data), facilities
  'GET /regions': { roles: HUMANS },
  'GET /regions/:code': { roles: HUMANS, params: () => ({ code: TOWNSHIP }) },
  'POST /facilities': { roles: [A, B], body: () => facilityBody({ name: `矩阵养老院${next()}` }) },
  'GET /facilities': { roles: [A, B, M, D] },
  'GET /facilities/:id': { roles: [A, B, M, D], scope: 'facility' },
  'PATCH /facilities/:id': { roles: [A, B], body: () => ({ address: '会师镇西关街1号' }) },
  // ---- beds
  'POST /facilities/:facilityId/beds': {
    roles: [A, M],
    scope: 'facility',
    body: () => ({ room: `M${next()}`, label: '1', type: 'nursing' }),
  },
  'POST /facilities/:facilityId/beds/bulk': {
    roles: [A, M],
    scope: 'facility',
    body: () => ({ beds: [{ room: `K${next()}`, label: '1', type: 'ordinary' }] }),
  },
  'GET /facilities/:facilityId/beds': { roles: [A, B, M], scope: 'facility' },
  'GET /facilities/:facilityId/bed-summary': { roles: [A, B, M], scope: 'facility' },
  'GET /beds/:id': { roles: [A, B, M], scope: 'facility' },
  'PATCH /beds/:id': { roles: [A, M], scope: 'facility', body: () => ({ type: 'nursing' }) },
  // ---- stays
  'POST /facilities/:facilityId/admissions': {
    roles: [A, M],
    scope: 'facility',
    body: (s) => ({ residentId: s.admitResident, bedId: s.bed }),
  },
  'POST /stays/:id/transfer': { roles: [A, M], scope: 'facility', body: (s) => ({ bedId: s.spareBed }) },
  'POST /stays/:id/discharge': { roles: [A, M], scope: 'facility', body: () => ({ reason: 'other' }) },
  'GET /stays/:id': { roles: [A, B, M], scope: 'facility' },
  'GET /facilities/:facilityId/stays': { roles: [A, B, M], scope: 'facility' },
  'GET /facilities/:facilityId/occupancy': { roles: [A, B, M], scope: 'facility' },
  // ---- waitlist, recommendations
  'POST /facilities/:facilityId/waitlist': {
    roles: [A, M],
    scope: 'facility',
    body: (s) => ({ residentId: s.resident }),
  },
  'GET /facilities/:facilityId/waitlist': { roles: [A, B, M], scope: 'facility' },
  'GET /facilities/:facilityId/waitlist/:entryId': { roles: [A, B, M], scope: 'facility' },
  'POST /facilities/:facilityId/waitlist/:entryId/cancel': { roles: [A, M], scope: 'facility', body: () => ({}) },
  'POST /facilities/:facilityId/waitlist/offers': {
    roles: [A, M],
    scope: 'facility',
    body: (s) => ({ bedId: s.spareBed }),
  },
  'GET /facilities/:facilityId/bed-recommendations': {
    roles: [A, B, M],
    scope: 'facility',
    query: (s) => ({ residentId: s.resident }),
  },
  'GET /facilities/:facilityId/nursing-bed-mismatches': { roles: [A, B, M], scope: 'facility' },
  // ---- residents
  'POST /residents': {
    roles: [A, M, D],
    body: () => ({
      name: '矩阵老人',
      idNumber: makeIdNumber('1946-05-05'),
      regionCode: TOWNSHIP,
      livingArrangement: 'home',
      categories: [],
    }),
  },
  'GET /residents': { roles: [A, B, M, D] },
  'GET /residents/:id': { roles: [A, B, M, D], scope: 'facility' },
  'PATCH /residents/:id': { roles: [A, M, D], scope: 'facility', body: () => ({ phone: '0943-3221234' }) },
  // ---- assessments
  'GET /assessments/items': { roles: HUMANS },
  'GET /assessments/due': { roles: [A, B, M, D] },
  'GET /assessments/:id': { roles: [A, B, M, D], scope: 'facility' },
  'POST /residents/:id/assessments': {
    roles: [A, M, D],
    scope: 'facility',
    body: () => ({
      assessedAt: '2026-06-01T09:00:00+08:00',
      assessors: ['评估员甲', '评估员乙'],
      reason: 'periodic',
      items: itemsForTotal(70),
      conditions: {},
    }),
  },
  'POST /residents/:id/assessments/legacy': {
    roles: [A, M, D],
    scope: 'facility',
    body: () => ({ assessedAt: '2021-06-01', levelName: '轻度失能' }),
  },
  'GET /residents/:id/assessments': { roles: [A, B, M, D], scope: 'facility' },
  // ---- caregivers, service points, services
  'POST /service-points': {
    roles: [A, D],
    body: () => ({ name: `矩阵服务站${next()}`, regionCode: TOWNSHIP, lat: 35.69, lng: 105.05 }),
  },
  'GET /service-points': { roles: [A, B, D] },
  'GET /service-points/:id': { roles: [A, B, D] },
  'POST /caregivers': {
    roles: [A, D],
    body: (s) => ({
      name: '矩阵护理员',
      phone: '13800000000',
      gender: 'female',
      servicePointId: s.servicePoint,
      skills: ['health'],
      shiftStart: '08:00',
      shiftEnd: '17:00',
      maxDailyVisits: 6,
    }),
  },
  'GET /caregivers': { roles: [A, B, D] },
  'GET /caregivers/:id': { roles: [A, B, D, C], scope: 'caregiver' },
  'PATCH /caregivers/:id': { roles: [A, D], body: () => ({ phone: '13900000000' }) },
  'GET /caregivers/:id/schedule': { roles: [A, B, D, C], scope: 'caregiver', query: (s) => ({ date: s.date }) },
  'GET /services': { roles: HUMANS },
  // ---- care orders, visit plans
  'POST /care-orders': {
    roles: [A, D],
    body: (s) => ({
      residentId: s.resident,
      services: ['health_check'],
      windowStart: `${s.date}T09:00:00+08:00`,
      windowEnd: `${s.date}T12:00:00+08:00`,
    }),
  },
  'POST /care-orders/batch': {
    roles: [A, D],
    body: (s) => ({
      orders: [
        {
          residentId: s.resident,
          services: ['health_check'],
          windowStart: `${s.date}T13:00:00+08:00`,
          windowEnd: `${s.date}T16:00:00+08:00`,
        },
      ],
    }),
  },
  'GET /dispatch/kpis': { roles: [A, B, D], query: (s) => ({ date: s.date }) },
  'GET /care-orders': { roles: [A, B, D, C] },
  // ---- one-key calls and alerts
  'PUT /residents/:id/device': { roles: [A, D], body: () => ({ deviceId: `MATRIX-${next()}` }) },
  'POST /emergency-calls': { roles: [D, 'integration'], body: (s) => ({ residentId: s.resident, source: 'phone' }) },
  // a resident without a demo device: 422 NOT_DEMO_DATA for the admin, the one role that may ask
  'POST /emergency-calls/simulate': { roles: [A], body: (s) => ({ residentId: s.resident }) },
  'GET /emergency-calls': { roles: [A, B, D] },
  'GET /emergency-calls/:id': { roles: [A, B, D] },
  'POST /emergency-calls/:id/resolve': { roles: [A, D], body: () => ({ outcome: 'false_alarm' }) },
  'GET /alerts': { roles: [A, B, D] },
  'POST /alerts/:id/acknowledge': { roles: [A, D], body: () => ({}) },
  'POST /care-orders/:id/close': { roles: [A, D], body: () => ({ reason: '矩阵测试' }) },
  'GET /stats/emergency-calls': { roles: [A, B] },
  'GET /care-orders/:id': { roles: [A, B, D, C], scope: 'caregiver' },
  'POST /care-orders/:id/accept': { roles: [A, D, C], scope: 'caregiver' },
  'POST /care-orders/:id/decline': { roles: [A, D, C], scope: 'caregiver', body: () => ({ reason: '临时有事' }) },
  'POST /care-orders/:id/check-in': { roles: [A, D, C], scope: 'caregiver', body: () => ({ lat: 35.69, lng: 105.05 }) },
  'POST /care-orders/:id/check-out': {
    roles: [A, D, C],
    scope: 'caregiver',
    body: () => ({ servicesDone: ['health_check'] }),
  },
  'POST /care-orders/:id/cancel': { roles: [A, D], body: () => ({ reason: '家属取消' }) },
  'POST /visit-plans/generate': { roles: [A, D], body: (s) => ({ month: s.month }) },
  // ---- statistics
  'GET /stats/coverage': { roles: [A, B], query: (s) => ({ month: s.month }) },
  'GET /stats/coverage/export': { roles: [A, B], query: () => ({ format: 'csv' }) },
  'GET /stats/coverage/history': { roles: [A, B] },
  'POST /stats/coverage/snapshots': { roles: [A], body: () => ({}) },
  'GET /stats/next-steps': { roles: [A, B] },
  'GET /stats/facilities': { roles: [A, B, M] },
};

/** Path parameters by the route's first segment (a row's `params` wins). */
const PARAMS: Record<string, (s: Seed) => Record<string, string>> = {
  facilities: (s) => ({ facilityId: s.facility, id: s.facility, entryId: s.entry }),
  beds: (s) => ({ id: s.bed }),
  stays: (s) => ({ id: s.stay }),
  residents: (s) => ({ id: s.resident }),
  assessments: (s) => ({ id: s.assessment }),
  'service-points': (s) => ({ id: s.servicePoint }),
  caregivers: (s) => ({ id: s.caregiver }),
  'care-orders': (s) => ({ id: s.order }),
  users: (s) => ({ id: s.user }),
  'emergency-calls': (s) => ({ id: s.call }),
  alerts: (s) => ({ id: s.alert }),
};

/** Every controller route of the running app as `METHOD /path` (Nest's notation, without the global prefix). */
function routesOf(app: INestApplication): string[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  const scanner = app.get(MetadataScanner, { strict: false }) ?? new MetadataScanner();
  const routes: string[] = [];
  const asList = (p: unknown): string[] => (Array.isArray(p) ? p.map(String) : [String(p ?? '')]);
  for (const wrapper of discovery.getControllers()) {
    if (!wrapper.metatype || !wrapper.instance) continue;
    const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
    for (const base of asList(Reflect.getMetadata(PATH_METADATA, wrapper.metatype))) {
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as object;
        const path: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        for (const sub of asList(path)) {
          const full = `/${[base, sub]
            .map((x) => x.replace(/^\/+|\/+$/g, ''))
            .filter(Boolean)
            .join('/')}`;
          routes.push(`${method} ${full}`);
        }
      }
    }
  }
  return [...new Set(routes)].sort();
}

interface Caller {
  label: string;
  role: Role;
  token: string;
  /** out of scope: a manager of another facility, a caregiver other than the assigned one */
  outside?: 'facility' | 'caregiver';
}

describe('authorization matrix: every route × every role × own/other facility or caregiver', () => {
  let t: TestContext;
  let seed: Seed;
  let callers: Caller[];
  let routes: string[];
  let otherCaregiver: string;

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'authz-matrix');
    routes = routesOf(t.app);
    const admin = auth(t.adminToken);
    const post = async (path: string, body: object, expected = 201) => {
      const res = await t.http().post(`${API}${path}`).set(admin).send(body);
      if (res.status !== expected) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string };
    };
    const facility = await createFacility(t, { name: '矩阵福利院' });
    const otherFacility = await createFacility(t, { name: '矩阵敬老院', type: 'nursing_home' });
    const resident = (name: string) =>
      post('/residents', {
        name,
        idNumber: makeIdNumber('1944-02-02'),
        regionCode: TOWNSHIP,
        livingArrangement: 'home',
        categories: ['destitute'],
        facilityId: facility,
        lat: 35.7,
        lng: 105.05,
      });
    const home = await resident('居家老人');
    const admitResident = await resident('入住老人');
    const stayResident = await resident('在院老人');
    const bed = await createBed(t, facility, { room: '101', label: '1', type: 'nursing' });
    const spareBed = await createBed(t, facility, { room: '101', label: '2', type: 'nursing' });
    const stayBed = await createBed(t, facility, { room: '102', label: '1', type: 'nursing' });
    const stay = await post(`/facilities/${facility}/admissions`, { residentId: stayResident.id, bedId: stayBed });
    const entry = await post(`/facilities/${facility}/waitlist`, { residentId: home.id });
    const assessment = await post(`/residents/${home.id}/assessments`, {
      assessedAt: '2026-05-01T09:00:00+08:00',
      assessors: ['评估员甲', '评估员乙'],
      reason: 'initial',
      items: itemsForTotal(80),
      conditions: {},
    });
    const servicePoint = await post('/service-points', {
      name: '矩阵服务站',
      regionCode: TOWNSHIP,
      lat: 35.69,
      lng: 105.05,
    });
    const caregiverBody = {
      phone: '13800000000',
      gender: 'female',
      servicePointId: servicePoint.id,
      skills: ['health', 'housekeeping'],
      shiftStart: '08:00',
      shiftEnd: '18:00',
      maxDailyVisits: 6,
    };
    const caregiver = await post('/caregivers', { name: '本人护理员', ...caregiverBody });
    const other = await post('/caregivers', { name: '他人护理员', ...caregiverBody });
    otherCaregiver = other.id;
    const day = countyDate(Date.now() + 2 * DAY_MS);
    const order = await post(
      '/care-orders',
      {
        residentId: home.id,
        services: ['health_check'],
        windowStart: `${day}T09:00:00+08:00`,
        windowEnd: `${day}T12:00:00+08:00`,
      },
      202,
    );
    seed = {
      facility,
      otherFacility,
      resident: home.id,
      admitResident: admitResident.id,
      bed,
      spareBed,
      stay: stay.id,
      entry: entry.id,
      assessment: assessment.id,
      servicePoint: servicePoint.id,
      caregiver: caregiver.id,
      order: order.id,
      date: day,
      month: countyMonth(Date.now() - 31 * DAY_MS),
      user: '',
      call: '',
      alert: '',
    };
    const spareUser = await post('/users', { username: 'matrix-spare', password: 'password-123', role: 'dispatcher' });
    seed.user = spareUser.id;
    const callerOfCalls = await t.userToken('dispatcher');
    const call = await t
      .http()
      .post(`${API}/emergency-calls`)
      .set(auth(callerOfCalls))
      .send({ residentId: admitResident.id, source: 'phone' });
    if (call.status !== 201) throw new Error(`emergency call: ${call.status} ${JSON.stringify(call.body)}`);
    seed.call = (call.body as { id: string }).id;
    // alerts are raised by the dispatcher's scan job; one row stands in for it
    seed.alert = '00000000-0000-4000-8000-00000000a1e7';
    await t.db.query(
      `INSERT INTO alerts (id, type, order_id, resident_id, region_code, status, raised_at) VALUES (?, 'visit_missed', ?, ?, ?, 'open', NOW(3))`,
      [seed.alert, seed.order, home.id, TOWNSHIP],
    );
    await assignOrder();
    callers = [
      // callers that must be refused come first: they change nothing
      { label: 'integration', role: 'integration', token: await t.userToken('integration') },
      {
        label: 'caregiver (other)',
        role: 'caregiver',
        token: await t.userToken('caregiver', { caregiverId: otherCaregiver }),
        outside: 'caregiver',
      },
      {
        label: 'manager (other facility)',
        role: 'manager',
        token: await t.userToken('manager', { facilityIds: [otherFacility] }),
        outside: 'facility',
      },
      { label: 'bureau', role: 'bureau', token: await t.userToken('bureau') },
      { label: 'dispatcher', role: 'dispatcher', token: await t.userToken('dispatcher') },
      {
        label: 'caregiver (own)',
        role: 'caregiver',
        token: await t.userToken('caregiver', { caregiverId: caregiver.id }),
      },
      {
        label: 'manager (own facility)',
        role: 'manager',
        token: await t.userToken('manager', { facilityIds: [facility] }),
      },
      { label: 'admin', role: 'admin', token: t.adminToken },
    ];
  });
  afterAll(() => t?.close());

  /** The seeded order is assigned to the own caregiver again before each call on it (an accept or decline moves it). */
  async function assignOrder(): Promise<void> {
    await t.db.query("UPDATE care_orders SET status = 'assigned', caregiver_id = ? WHERE id = ?", [
      seed.caregiver,
      seed.order,
    ]);
  }

  function expectation(row: Row, caller: Caller): 'allowed' | 403 | 404 {
    if (row.roles === 'public') return 'allowed';
    if (!row.roles.includes(caller.role)) return 403;
    if (caller.outside && row.scope === caller.outside) return 404;
    return 'allowed';
  }

  function urlOf(route: string): { method: string; url: string } {
    const [method, path] = route.split(' ');
    const row = MATRIX[route];
    const segment = path.split('/')[1];
    const params = { ...(PARAMS[segment]?.(seed) ?? {}), ...(row.params?.(seed) ?? {}) };
    const filled = path.replace(/:(\w+)/g, (_m, name: string) => {
      const value = params[name];
      if (value === undefined)
        throw new Error(`${route}: no value for :${name} (add it to PARAMS or the row's params)`);
      return encodeURIComponent(value);
    });
    const query = row.query ? `?${new URLSearchParams(row.query(seed)).toString()}` : '';
    // outside the /api/v1 prefix
    const url = path === '/health' || path === '/metrics' ? path : `${API}${filled}${query}`;
    return { method: method.toLowerCase(), url };
  }

  async function call(route: string, token: string | null): Promise<{ status: number; body: unknown }> {
    const { method, url } = urlOf(route);
    if (route.startsWith('GET /care-orders/:id') || route.startsWith('POST /care-orders/:id')) await assignOrder();
    const agent = t.http() as unknown as Record<string, (u: string) => import('supertest').Test>;
    let req = agent[method](url);
    if (token) req = req.set(auth(token));
    const row = MATRIX[route];
    if (method !== 'get') req = req.send(row.body ? row.body(seed) : {});
    const res = await req;
    return { status: res.status, body: res.body };
  }

  it('has one row for every route of the running api, and no row for a route that is gone', () => {
    expect(routes.length).toBeGreaterThan(40);
    const missing = routes.filter((r) => !(r in MATRIX));
    const stale = Object.keys(MATRIX).filter((r) => !routes.includes(r));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  it('answers 401 without a token on every non-public route', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const row = MATRIX[route];
      if (!row || row.roles === 'public') continue;
      const { status } = await call(route, null);
      if (status !== 401) wrong.push(`${route}: ${status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers each role as the table says: 403 for a role not listed, 404 out of scope, through otherwise', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const row = MATRIX[route];
      if (!row) continue;
      for (const caller of callers) {
        const expected = expectation(row, caller);
        const { status, body } = await call(route, caller.token);
        const ok =
          expected === 'allowed'
            ? status < 500 && status !== 401 && status !== 403 && status !== 404
            : status === expected;
        if (!ok)
          wrong.push(
            `${route} as ${caller.label}: expected ${expected}, got ${status} ${JSON.stringify(body).slice(0, 160)}`,
          );
      }
    }
    expect(wrong).toEqual([]);
  });
});
