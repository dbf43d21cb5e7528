// Development-only stand-in for the API (shared/spec/api-contract.md), so the console can be
// developed and screenshotted before the real endpoints exist. Serves dist/console at `/` with an
// SPA fallback, and /api/v1/* from memory. Not used by the real build or the browser test.
//
//   node apps/console/dev/mock-api.mjs [port]      (users: admin, bureau, manager, dispatcher, caregiver; password "demo")
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = fileURLToPath(new URL('.', import.meta.url));
const distDir = resolve(here, '../../../dist/console');
const port = Number(process.argv[2] ?? process.env.PORT ?? 4310);

// the one ID-number masking rule (libs/core/src/privacy/id-number-mask.ts), as the server build compiled it
const maskModule = resolve(here, '../../../dist/libs/core/src/privacy/id-number-mask.js');
if (!existsSync(maskModule)) {
  console.error(`${maskModule} is missing: run "npm run build" (the server build) first`);
  process.exit(1);
}
const { maskIdNumber } = createRequire(import.meta.url)(maskModule);

// ---------- deterministic data ----------
let seed = 42;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
let nextId = 1000;
const id = () => String(nextId++);

const regionsFile = '/work/shared/data/regions-620422.json';
const townships = existsSync(regionsFile)
  ? JSON.parse(readFileSync(regionsFile, 'utf8')).townships
  : [
      { code: '620422100', name: '会师镇', kind: 'urban' },
      { code: '620422102', name: '河畔镇', kind: 'rural' },
    ];
const regions = townships.map((t) => ({ code: t.code, name: t.name, kind: t.kind, parentCode: '620422' }));
const ext = { latMin: 35.45, latMax: 36.38, lngMin: 104.55, lngMax: 105.45 };
const regionCenter = new Map(
  regions.map((r, i) => [
    r.code,
    r.kind === 'urban'
      ? { lat: 35.6929, lng: 105.0466 }
      : { lat: ext.latMin + ((i * 37) % 90) / 100, lng: ext.lngMin + ((i * 53) % 88) / 100 },
  ]),
);
const around = (code, d = 0.06) => {
  const c = regionCenter.get(code);
  return { lat: +(c.lat + (rnd() - 0.5) * d).toFixed(5), lng: +(c.lng + (rnd() - 0.5) * d).toFixed(5) };
};

const surnames =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const given = [
  '秀英',
  '桂兰',
  '玉兰',
  '淑珍',
  '建国',
  '德明',
  '志强',
  '凤英',
  '有福',
  '长生',
  '兰英',
  '文华',
  '金花',
  '永祥',
  '桂芳',
  '守仁',
  '翠花',
  '海泉',
  '春梅',
  '明德',
];
const name = () => pick([...surnames]) + pick(given);

const facilities = [
  {
    id: 'f1',
    name: '会宁县社会福利院',
    type: 'welfare_institute',
    regionCode: '620422100',
    lat: 35.694,
    lng: 105.05,
    ownership: 'public',
    comprehensive: true,
    address: '会师镇西关',
  },
  {
    id: 'f2',
    name: '河畔中心敬老院',
    type: 'nursing_home',
    regionCode: '620422102',
    lat: 35.9,
    lng: 105.1,
    ownership: 'public',
    comprehensive: true,
  },
  {
    id: 'f3',
    name: '郭城驿镇中心敬老院',
    type: 'nursing_home',
    regionCode: '620422101',
    lat: 36.2,
    lng: 104.8,
    ownership: 'public',
    comprehensive: false,
  },
];
const residents = [];
const beds = [];
const stays = [];
const waitlist = [];
function mkResident(over = {}) {
  const g = rnd() < 0.5 ? 'male' : 'female';
  const regionCode = over.regionCode ?? pick(regions).code;
  const r = {
    id: id(),
    name: name(),
    idNumberMasked: maskIdNumber(`620422${String(1e11 + Math.floor(rnd() * 9e11))}`),
    regionCode,
    livingArrangement: 'home',
    categories: [pick(['destitute', 'economic_hardship', 'low_income'])],
    gender: g,
    age: 62 + Math.floor(rnd() * 30),
    phone: `139${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`,
    address: `${regions.find((x) => x.code === regionCode).name}${pick(['东村', '西村', '南塬', '北川'])}${1 + Math.floor(rnd() * 30)}号`,
    ...around(regionCode, 0.12),
    latestAssessment: rnd() < 0.8 ? { level: Math.floor(rnd() * 5), validUntil: '2027-03-01' } : null,
    ...over,
  };
  residents.push(r);
  return r;
}
// beds of f1: 2 buildings, 3 floors, rooms of 2–4 beds
for (const [building, floors] of [
  ['A栋', 3],
  ['B栋', 2],
]) {
  for (let f = 1; f <= floors; f++) {
    for (let room = 1; room <= 6; room++) {
      const roomNo = `${building === 'A栋' ? '' : 'B'}${f}0${room}`;
      const n = room % 3 === 0 ? 4 : 2 + (room % 2);
      const type = room <= 4 ? 'nursing' : 'ordinary';
      for (let b = 1; b <= n; b++) {
        beds.push({
          id: id(),
          facilityId: 'f1',
          building,
          floor: f,
          room: roomNo,
          label: String(b),
          type,
          status: 'vacant',
          gender: room % 2 ? 'male' : 'female',
        });
      }
    }
  }
}
for (let i = 0; i < 12; i++)
  beds.push({
    id: id(),
    facilityId: 'f2',
    room: `${100 + Math.floor(i / 3)}`,
    label: String((i % 3) + 1),
    type: i < 6 ? 'nursing' : 'ordinary',
    status: 'vacant',
  });
for (const b of beds.filter((x) => x.facilityId === 'f1')) {
  const x = rnd();
  if (x < 0.72) {
    const r = mkResident({ livingArrangement: 'institution', regionCode: '620422100', gender: b.gender ?? undefined });
    b.status = 'occupied';
    stays.push({
      id: id(),
      residentId: r.id,
      bedId: b.id,
      facilityId: 'f1',
      admittedAt: '2026-03-01T10:00:00+08:00',
      status: 'active',
    });
  } else if (x < 0.76) b.status = 'maintenance';
  else if (x < 0.78) b.status = 'closed';
  else if (x < 0.8) b.status = 'reserved';
}
for (let i = 0; i < 5; i++) {
  const r = mkResident({ categories: [pick(['destitute', 'family_planning_special', 'low_income'])] });
  waitlist.push({ id: id(), residentId: r.id, facilityId: 'f1', createdAt: `2026-0${1 + i}-10T09:00:00+08:00` });
}
for (let i = 0; i < 120; i++) mkResident();

const servicePoints = regions.flatMap((r) =>
  Array.from({ length: r.kind === 'urban' ? 3 : 1 + Math.floor(rnd() * 2) }, (_, k) => ({
    id: id(),
    name: `${r.name}服务网点${k + 1}`,
    regionCode: r.code,
    ...around(r.code, 0.08),
  })),
);
const caregivers = servicePoints.slice(0, 14).map((sp) => ({
  id: id(),
  name: name(),
  phone: '13800000000',
  gender: 'female',
  servicePointId: sp.id,
  regionCode: sp.regionCode,
  skills: ['housekeeping', 'health', 'personal_care'],
  shiftStart: '08:00',
  shiftEnd: '17:00',
  maxDailyVisits: 6,
  active: true,
}));
const services = [
  ['home_cleaning', '居家环境清扫', 60, 'housekeeping'],
  ['personal_hygiene', '个人卫生清洁', 45, 'personal_care'],
  ['laundry', '衣物被褥清洗', 45, 'housekeeping'],
  ['health_check', '健康状况监测', 15, 'health'],
  ['safety_check', '水电气煤安全隐患排查', 15, 'housekeeping'],
  ['meal_assist', '助餐', 45, 'housekeeping'],
  ['bathing', '助浴', 60, 'personal_care'],
  ['medical_escort', '助医', 120, 'escort'],
  ['rehab_care', '康复护理', 60, 'nursing'],
  ['companionship', '精神慰藉', 30, null],
  ['errand', '委托代办', 60, null],
].map(([code, n, m, skill]) => ({ code, name: n, defaultMinutes: m, skill }));

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const at = (day, min) =>
  `${day}T${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}:00+08:00`;
const orders = [];
const homeResidents = residents.filter((r) => r.livingArrangement === 'home');
caregivers.forEach((cg, ci) => {
  let t = 8 * 60 + 10 + ci * 3;
  const nVisits = ci === 0 ? 4 : ci % 5 === 4 ? 0 : 2 + (ci % 4);
  for (let k = 0; k < nVisits; k++) {
    const r = homeResidents[(ci * 7 + k * 3) % homeResidents.length];
    const travel = 8 + Math.floor(rnd() * 20);
    t += travel;
    const dur = pick([30, 45, 60, 90]);
    const status =
      ci === 0
        ? ['assigned', 'accepted', 'in_progress', 'completed'][k % 4]
        : pick(['assigned', 'accepted', 'completed', 'completed', 'in_progress']);
    orders.push({
      id: id(),
      residentId: r.id,
      services: ['health_check', 'safety_check', pick(['home_cleaning', 'personal_hygiene', 'laundry'])],
      windowStart: at(today, 9 * 60 - 60),
      windowEnd: at(today, 17 * 60),
      status,
      caregiverId: cg.id,
      plannedStart: at(today, t),
      plannedEnd: at(today, t + dur),
      travelMinutes: travel,
      priority: k === 1 && ci === 2 ? 'urgent' : 'normal',
      resident: { name: r.name, address: r.address, phone: r.phone, lat: r.lat, lng: r.lng },
    });
    t += dur + 10;
  }
});
const reasons = ['NO_SKILLED_CAREGIVER', 'OUT_OF_SERVICE_CIRCLE', 'NO_CAPACITY', 'RESIDENT_NOT_AT_HOME'];
for (let i = 0; i < 6; i++) {
  const r = homeResidents[(i * 11 + 5) % homeResidents.length];
  orders.push({
    id: id(),
    residentId: r.id,
    services: ['bathing', 'rehab_care'].slice(0, 1 + (i % 2)),
    windowStart: at(today, 9 * 60),
    windowEnd: at(today, 12 * 60),
    status: 'unassigned',
    unassignedReason: reasons[i % 4],
  });
}
for (let i = 0; i < 4; i++)
  orders.push({
    id: id(),
    residentId: homeResidents[i + 40].id,
    services: ['companionship'],
    windowStart: at(today, 14 * 60),
    windowEnd: at(today, 17 * 60),
    status: i < 3 ? 'pending' : 'cancelled',
  });

const users = {
  admin: { id: 'u1', username: 'admin', role: 'admin', facilityIds: [], caregiverId: null },
  bureau: { id: 'u2', username: 'bureau', role: 'bureau', facilityIds: [], caregiverId: null },
  manager: { id: 'u3', username: 'manager', role: 'manager', facilityIds: ['f1', 'f2'], caregiverId: null },
  dispatcher: { id: 'u4', username: 'dispatcher', role: 'dispatcher', facilityIds: [], caregiverId: null },
  caregiver: { id: 'u5', username: 'caregiver', role: 'caregiver', facilityIds: [], caregiverId: caregivers[0].id },
};
const tokens = new Map();

// ---------- helpers ----------
class HttpErr extends Error {
  constructor(statusCode, code, message) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
  }
}
const list = (items, q) => {
  const limit = Math.min(Number(q.get('limit') ?? 50), 500);
  const offset = Number(q.get('offset') ?? 0);
  return { items: items.slice(offset, offset + limit), total: items.length };
};
const round4 = (x) => Math.round(x * 10000) / 10000;
function summary(fid) {
  const inService = beds.filter((b) => b.facilityId === fid && b.status !== 'closed');
  const total = inService.length;
  const nursing = inService.filter((b) => b.type === 'nursing').length;
  const occupied = inService.filter((b) => b.status === 'occupied').length;
  const share = total ? round4(nursing / total) : 0;
  return {
    total,
    nursing,
    ordinary: total - nursing,
    occupied,
    vacant: inService.filter((b) => b.status === 'vacant').length,
    nursingShare: share,
    utilization: total ? round4(occupied / total) : 0,
    nursingShareTarget: 0.55,
    meetsNursingShareTarget: share >= 0.55,
  };
}
function ind(key, num, den, target) {
  return {
    key,
    value: den ? round4(num / den) : null,
    numerator: num,
    denominator: den,
    target,
    comparator: '>=',
    met: den && target !== null ? num / den >= target : null,
  };
}
function coverage(month) {
  const s = summary('f1');
  const county = [
    ind('nursing_bed_share', s.nursing, s.total, 0.55),
    { ...ind('bed_utilization', s.occupied, s.total, null), comparator: null },
    ind('township_comprehensive_coverage', 2, 28, 0.5),
    ind('doorstep_visit_coverage', 241, 315, 1),
    ind('service_circle_coverage', 301, 315, 1),
    ind('assessment_coverage', 388, 433, 1),
    { ...ind('social_workers_per_100_beds', 1, 1, 1), value: 0.7, numerator: 1, denominator: 142 },
  ];
  const byRegion = regions.map((r, i) => ({
    regionCode: r.code,
    name: r.name,
    indicators: [
      i % 6 === 5 ? ind('nursing_bed_share', 0, 0, 0.55) : ind('nursing_bed_share', 20 + ((i * 7) % 30), 50, 0.55),
      { ...ind('bed_utilization', 30 + ((i * 5) % 20), 50, null), comparator: null },
      ind('township_comprehensive_coverage', i === 0 || i === 2 ? 1 : 0, 1, 0.5),
      ind('doorstep_visit_coverage', 6 + ((i * 3) % 6), 12, 1),
      ind('service_circle_coverage', 9 + (i % 4), 12, 1),
      ind('assessment_coverage', 12 + ((i * 2) % 4), 16, 1),
    ],
  }));
  return { asOf: new Date().toISOString(), month, indicators: county, byRegion };
}

// ---------- routes ----------
const routes = [];
const route = (method, pattern, fn) =>
  routes.push({ method, re: new RegExp(`^${pattern.replace(/:(\w+)/g, '(?<$1>[^/]+)')}$`), fn });

route('POST', '/auth/login', ({ body }) => {
  const u = users[body.username];
  if (!u || body.password !== 'demo') throw new HttpErr(401, 'INVALID_CREDENTIALS', '用户名或密码错误');
  const token = `t-${body.username}-${Date.now()}`;
  tokens.set(token, u);
  return { accessToken: token, user: u };
});
route('GET', '/regions', ({ q }) => list(regions, q));
route('GET', '/services', ({ q }) => list(services, q));
route('GET', '/facilities', ({ q }) => list(facilities, q));
route(
  'GET',
  '/facilities/:id',
  ({ p }) =>
    facilities.find((f) => f.id === p.id) ??
    (() => {
      throw new HttpErr(404, 'NOT_FOUND', '机构不存在');
    })(),
);
route('GET', '/facilities/:id/beds', ({ p, q }) =>
  list(
    beds.filter((b) => b.facilityId === p.id && (!q.get('status') || b.status === q.get('status'))),
    q,
  ),
);
route('GET', '/facilities/:id/bed-summary', ({ p }) => summary(p.id));
route('GET', '/facilities/:id/stays', ({ p, q }) =>
  list(
    stays.filter((s) => s.facilityId === p.id && s.status === (q.get('status') ?? 'active')),
    q,
  ),
);
route('GET', '/facilities/:id/waitlist', ({ p, q }) =>
  list(
    waitlist
      .filter((w) => w.facilityId === p.id)
      .map((w, i) => {
        const r = residents.find((x) => x.id === w.residentId);
        const tier = r.categories.includes('destitute') ? 1 : r.categories.includes('family_planning_special') ? 2 : 3;
        return {
          ...w,
          priority: tier,
          tier,
          reasons: r.categories,
          resident: {
            name: r.name,
            gender: r.gender,
            age: r.age,
            latestAssessment: r.latestAssessment,
            categories: r.categories,
          },
          _i: i,
        };
      })
      .sort((a, b) => a.tier - b.tier),
    q,
  ),
);
route('POST', '/facilities/:id/waitlist', ({ p, body }) => {
  const w = { id: id(), residentId: body.residentId, facilityId: p.id, createdAt: new Date().toISOString() };
  waitlist.push(w);
  return w;
});
route('GET', '/facilities/:id/bed-recommendations', ({ p, q }) => {
  const r = residents.find((x) => x.id === q.get('residentId'));
  const lvl = r?.latestAssessment?.level ?? 0;
  return {
    items: beds
      .filter(
        (b) =>
          b.facilityId === p.id &&
          b.status === 'vacant' &&
          (!b.gender || b.gender === r?.gender) &&
          (lvl < 2 || b.type === 'nursing'),
      )
      .slice(0, 5)
      .map((b) => ({ bedId: b.id, reasons: [b.type === 'nursing' ? '护理型床位' : '普通床位', '性别相符'] })),
    total: 5,
  };
});
route('POST', '/facilities/:id/admissions', ({ p, body }) => {
  const b = beds.find((x) => x.id === body.bedId && x.facilityId === p.id);
  const r = residents.find((x) => x.id === body.residentId);
  if (!b || !r) throw new HttpErr(404, 'NOT_FOUND', 'bed or resident not found');
  if (b.status === 'occupied') throw new HttpErr(409, 'BED_OCCUPIED', 'bed holds an active stay');
  if (b.status === 'maintenance' || b.status === 'closed')
    throw new HttpErr(409, 'BED_UNAVAILABLE', 'bed is not in service');
  if (stays.some((s) => s.residentId === r.id && s.status === 'active'))
    throw new HttpErr(409, 'RESIDENT_ALREADY_ADMITTED', 'resident already has an active stay');
  if ((r.latestAssessment?.level ?? 0) >= 2 && b.type === 'ordinary' && !body.overrideReason)
    throw new HttpErr(422, 'NURSING_BED_REQUIRED', 'level 2 or worse needs a nursing bed');
  if (b.gender && r.gender && b.gender !== r.gender)
    throw new HttpErr(422, 'GENDER_MISMATCH', 'bed is for the other gender');
  b.status = 'occupied';
  r.livingArrangement = 'institution';
  const s = {
    id: id(),
    residentId: r.id,
    bedId: b.id,
    facilityId: p.id,
    admittedAt: body.admittedAt ?? new Date().toISOString(),
    status: 'active',
  };
  stays.push(s);
  const wi = waitlist.findIndex((w) => w.residentId === r.id);
  if (wi >= 0) waitlist.splice(wi, 1);
  return s;
});
route('POST', '/stays/:id/transfer', ({ p, body }) => {
  const s = stays.find((x) => x.id === p.id);
  const nb = beds.find((x) => x.id === body.bedId);
  if (nb.status !== 'vacant') throw new HttpErr(409, 'BED_OCCUPIED', 'target bed not vacant');
  beds.find((x) => x.id === s.bedId).status = 'vacant';
  nb.status = 'occupied';
  s.bedId = nb.id;
  return s;
});
route('POST', '/stays/:id/discharge', ({ p, body }) => {
  const s = stays.find((x) => x.id === p.id);
  s.status = 'discharged';
  s.dischargeReason = body.reason;
  beds.find((x) => x.id === s.bedId).status = 'vacant';
  return s;
});
route('PATCH', '/beds/:id', ({ p, body }) => {
  const b = beds.find((x) => x.id === p.id);
  if (b.status === 'occupied' && body.status) throw new HttpErr(409, 'BED_OCCUPIED', 'bed is occupied');
  Object.assign(b, body);
  return b;
});
route('GET', '/residents', ({ q }) => {
  const t = q.get('q');
  return list(
    residents.filter(
      (r) =>
        (!t || r.name.includes(t)) &&
        (!q.get('livingArrangement') || r.livingArrangement === q.get('livingArrangement')) &&
        (!q.get('regionCode') || r.regionCode === q.get('regionCode')),
    ),
    q,
  );
});
route(
  'GET',
  '/residents/:id',
  ({ p }) =>
    residents.find((r) => r.id === p.id) ??
    (() => {
      throw new HttpErr(404, 'NOT_FOUND', 'not found');
    })(),
);
route('POST', '/residents', ({ body }) =>
  mkResident({
    ...body,
    idNumber: undefined,
    idNumberMasked: maskIdNumber(body.idNumber),
    gender: Number(body.idNumber[16]) % 2 ? 'male' : 'female',
    age: 80,
    latestAssessment: null,
  }),
);
route('GET', '/service-points', ({ q }) => list(servicePoints, q));
route('GET', '/caregivers', ({ q }) =>
  list(
    caregivers.filter((c) => !q.get('regionCode') || c.regionCode === q.get('regionCode')),
    q,
  ),
);
route('GET', '/caregivers/:id/schedule', ({ p, q }) => {
  const cg = caregivers.find((c) => c.id === p.id);
  const day = q.get('date');
  const visits = orders
    .filter((o) => o.caregiverId === p.id && o.plannedStart?.startsWith(day) && o.status !== 'cancelled')
    .sort((a, b) => a.plannedStart.localeCompare(b.plannedStart))
    .map((o) => ({
      orderId: o.id,
      residentId: o.residentId,
      residentName: o.resident?.name,
      address: o.resident?.address,
      plannedStart: o.plannedStart,
      plannedEnd: o.plannedEnd,
      travelMinutes: o.travelMinutes,
      status: o.status,
      services: o.services,
    }));
  const sp = servicePoints.find((x) => x.id === cg.servicePointId);
  return {
    caregiverId: p.id,
    date: day,
    shiftStart: cg.shiftStart,
    shiftEnd: cg.shiftEnd,
    servicePoint: sp,
    visits,
    returnTravelMinutes: visits.length ? 12 : 0,
  };
});
route('GET', '/care-orders', ({ q, user }) => {
  let xs = orders;
  const cgId = user.role === 'caregiver' ? user.caregiverId : q.get('caregiverId');
  if (cgId) xs = xs.filter((o) => o.caregiverId === cgId);
  if (q.get('status')) xs = xs.filter((o) => o.status === q.get('status'));
  if (q.get('date')) xs = xs.filter((o) => (o.plannedStart ?? o.windowStart).startsWith(q.get('date')));
  return list(xs, q);
});
route('POST', '/care-orders', ({ body }) => {
  const o = { id: id(), ...body, status: 'pending' };
  orders.push(o);
  return o;
});
const transition =
  (from, to) =>
  ({ p, body }) => {
    const o = orders.find((x) => x.id === p.id);
    if (!from.includes(o.status)) throw new HttpErr(409, 'INVALID_TRANSITION', `cannot go from ${o.status} to ${to}`);
    o.status = to;
    if (to === 'in_progress') {
      o.checkInAt = new Date().toISOString();
      o.checkIn = body;
    }
    if (to === 'completed') {
      o.checkOutAt = new Date().toISOString();
      o.checkOut = body;
    }
    return o;
  };
route('POST', '/care-orders/:id/accept', transition(['assigned'], 'accepted'));
route('POST', '/care-orders/:id/decline', transition(['assigned', 'accepted'], 'pending'));
route('POST', '/care-orders/:id/check-in', transition(['accepted'], 'in_progress'));
route('POST', '/care-orders/:id/check-out', transition(['in_progress'], 'completed'));
route('POST', '/care-orders/:id/cancel', transition(['pending', 'assigned', 'accepted', 'unassigned'], 'cancelled'));
route('POST', '/visit-plans/generate', () => ({ jobId: 'job-1' }));
route('GET', '/stats/coverage', ({ q }) => coverage(q.get('month')));
route('GET', '/stats/coverage/history', ({ q }) => {
  const [fy, fm] = q.get('from').split('-').map(Number);
  const [ty, tm] = q.get('to').split('-').map(Number);
  const items = [];
  for (let i = fy * 12 + fm - 1, k = 0; i <= ty * 12 + tm - 1; i++, k++) {
    const month = `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
    items.push({
      month,
      indicators: [
        ind('nursing_bed_share', 40 + k, 100, 0.55),
        ind('bed_utilization', 78 + (k % 5), 100, null),
        ind('township_comprehensive_coverage', 2 + Math.floor(k / 3), 28, 0.5),
        ind('doorstep_visit_coverage', 55 + k * 2, 100, 1),
        ind('service_circle_coverage', 88 + Math.floor(k / 2), 100, 1),
        ind('assessment_coverage', 70 + k * 1.5, 100, 1),
      ],
    });
  }
  return { items, total: items.length };
});
route('GET', '/stats/next-steps', () => ({
  month: '2026-11',
  total: {
    nursingBeds: {
      target: 0.55,
      nursingBeds: 55,
      bedsInService: 142,
      toConvert: 24,
      toAdd: 53,
      plannedBeds: 1000,
      plannedMustBeNursing: 572,
    },
    townshipsWithoutComprehensive: 26,
    eligibleOutsideServiceCircle: 14,
    eligibleShortOfVisits: 74,
    expiredAssessments: 12,
    neverAssessed: 33,
  },
}));
route('GET', '/stats/facilities', ({ q }) =>
  list(
    facilities.map((f) => {
      const s = summary(f.id);
      return {
        facilityId: f.id,
        name: f.name,
        type: f.type,
        regionCode: f.regionCode,
        beds: { total: s.total, nursing: s.nursing, ordinary: s.ordinary },
        occupied: s.occupied,
        nursingShare: s.total ? s.nursingShare : null,
        utilization: s.total ? s.utilization : null,
        residentsByLevel: { 0: 10, 1: 20, 2: 15, 3: 9, 4: 4 },
      };
    }),
    q,
  ),
);

// ---------- server ----------
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname.startsWith('/api/v1/')) {
    const path = url.pathname.slice(7);
    let raw = '';
    for await (const c of req) raw += c;
    const send = (status, data, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
      res.end(typeof data === 'string' ? data : JSON.stringify(data));
    };
    try {
      if (path === '/stats/coverage/export') {
        const fmt = url.searchParams.get('format');
        const csv = '\ufeff指标,数值\n护理型床位占比,0.59\n';
        res.writeHead(200, {
          'Content-Type':
            fmt === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'Content-Disposition': `attachment; filename="coverage.${fmt}"; filename*=UTF-8''${encodeURIComponent(`养老服务覆盖率-${url.searchParams.get('month')}.${fmt}`)}`,
        });
        return res.end(csv);
      }
      const r = routes.find((x) => x.method === req.method && x.re.test(path));
      if (!r) throw new HttpErr(404, 'NOT_FOUND', `Cannot ${req.method} ${path}`);
      let user = null;
      if (path !== '/auth/login') {
        user = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
        if (!user) throw new HttpErr(401, 'UNAUTHORIZED', 'Unauthorized');
      }
      const body = raw ? JSON.parse(raw) : {};
      const out = r.fn({ p: r.re.exec(path).groups ?? {}, q: url.searchParams, body, user });
      await new Promise((ok) => setTimeout(ok, 60));
      send(
        req.method === 'POST' &&
          !path.includes('/auth/') &&
          !/\/(accept|decline|check-in|check-out|cancel|transfer|discharge)$/.test(path)
          ? path === '/care-orders' || path.startsWith('/visit-plans')
            ? 202
            : 201
          : 200,
        out,
      );
    } catch (e) {
      if (e instanceof HttpErr) send(e.statusCode, { statusCode: e.statusCode, code: e.code, message: e.message });
      else {
        console.error(e);
        send(500, { statusCode: 500, code: 'INTERNAL', message: 'Internal error' });
      }
    }
    return;
  }
  let file = join(distDir, decodeURIComponent(url.pathname));
  if (!file.startsWith(distDir) || !existsSync(file) || statSync(file).isDirectory())
    file = join(distDir, 'index.html');
  res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
}).listen(port, () => console.log(`mock API + console on http://127.0.0.1:${port}`));
