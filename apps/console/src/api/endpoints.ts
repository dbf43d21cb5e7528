// One function per endpoint the console calls. Paths and fields follow shared/spec/api-contract.md.
// Where the contract leaves a response shape open (schedule, history, waitlist, recommendations),
// the normalisers below accept the reasonable variants, so the UI code only sees one shape.

import { reasonLabel } from '../lib/labels';
import { ApiError, downloadFile, http, request, type Query } from './http';
import type {
  Assessment,
  DispatchKpis,
  DueAssessment,
  NewAssessment,
  NewBed,
  NewCaregiver,
  NewFacility,
  NewServicePoint,
  NewUser,
  ResidentChange,
  UserAccount,
  UserChange,
  Bed,
  BedRecommendation,
  BedStatus,
  BedSummary,
  BedType,
  CareOrder,
  Caregiver,
  CaregiverSchedule,
  CoverageHistory,
  CoverageHistoryPoint,
  CoverageStats,
  DischargeReason,
  Facility,
  FacilityStatsRow,
  Indicator,
  List,
  LoginResponse,
  NewResident,
  NextStepsReport,
  OrderStatus,
  ReasonLike,
  Region,
  Resident,
  ScheduleVisit,
  ServiceItem,
  ServicePoint,
  Stay,
  Vitals,
  WaitlistEntry,
} from './types';

const PAGE = 500;

/** Reads every page of a list endpoint (limit 500), up to `max` items. */
export async function listAll<T>(path: string, query: Query = {}, max = 5000): Promise<List<T>> {
  const items: T[] = [];
  let total = 0;
  for (let offset = 0; offset < max; offset += PAGE) {
    const page = await http.get<List<T> | T[]>(path, { ...query, limit: PAGE, offset });
    const list = asList(page);
    items.push(...list.items);
    total = list.total;
    if (list.items.length < PAGE || items.length >= total) break;
  }
  return { items, total: Math.max(total, items.length) };
}

export function asList<T>(data: List<T> | T[] | { items?: T[]; total?: number } | null | undefined): List<T> {
  if (!data) return { items: [], total: 0 };
  if (Array.isArray(data)) return { items: data, total: data.length };
  const items = data.items ?? [];
  return { items, total: data.total ?? items.length };
}

const enc = encodeURIComponent;

// ---- auth ----
export const login = (username: string, password: string) =>
  request<LoginResponse>('POST', '/auth/login', { body: { username, password }, anonymous: true });

// ---- reference data ----
export const getRegions = () => listAll<Region>('/regions');
export const getServices = () => listAll<ServiceItem>('/services');

// ---- facilities, beds ----
export const getFacilities = (query: Query = {}) => listAll<Facility>('/facilities', query);
export const getFacility = (id: string) => http.get<Facility>(`/facilities/${enc(id)}`);
export const getBeds = (facilityId: string, query: Query = {}) =>
  listAll<Bed>(`/facilities/${enc(facilityId)}/beds`, query);
export const getBedSummary = (facilityId: string) => http.get<BedSummary>(`/facilities/${enc(facilityId)}/bed-summary`);
export const patchBed = (
  bedId: string,
  body: { type?: BedType; status?: Extract<BedStatus, 'vacant' | 'maintenance' | 'closed'> },
) => http.patch<Bed>(`/beds/${enc(bedId)}`, body);

// ---- stays, admissions, waitlist ----
export const getStays = (facilityId: string, status: 'active' | 'discharged' = 'active') =>
  listAll<Stay>(`/facilities/${enc(facilityId)}/stays`, { status });
export const admit = (
  facilityId: string,
  body: ({ residentId: string } | { idNumber: string }) & {
    bedId: string;
    admittedAt?: string;
    overrideReason?: string;
  },
) => http.post<Stay>(`/facilities/${enc(facilityId)}/admissions`, body);
export const transferStay = (stayId: string, bedId: string) =>
  http.post<Stay>(`/stays/${enc(stayId)}/transfer`, { bedId });
export const dischargeStay = (stayId: string, reason: DischargeReason, dischargedAt?: string) =>
  http.post<Stay>(`/stays/${enc(stayId)}/discharge`, dischargedAt ? { reason, dischargedAt } : { reason });
export const getWaitlist = (facilityId: string) =>
  listAll<unknown>(`/facilities/${enc(facilityId)}/waitlist`).then((l) => ({
    items: l.items.map(normaliseWaitlistEntry).filter((e): e is WaitlistEntry => e !== null),
    total: l.total,
  }));
/** By id for a resident already in scope; by the full ID number (the desk look-up) for one beyond it. */
export const addToWaitlist = (facilityId: string, who: { residentId: string } | { idNumber: string }) =>
  http.post<WaitlistEntry>(`/facilities/${enc(facilityId)}/waitlist`, who);
export async function getBedRecommendations(facilityId: string, residentId: string): Promise<NormalRecommendation[]> {
  const data = await http.get<List<BedRecommendation> | BedRecommendation[]>(
    `/facilities/${enc(facilityId)}/bed-recommendations`,
    { residentId },
  );
  const list = Array.isArray(data) ? data : ((data as { fitting?: BedRecommendation[] }).fitting ?? asList(data).items);
  return list
    .map((r) => ({
      bedId: r.bedId ?? r.bed?.id ?? r.id ?? '',
      reasons: (r.reasons ?? []).map(reasonText),
      score: r.score,
    }))
    .filter((r) => r.bedId);
}
export interface NormalRecommendation {
  bedId: string;
  reasons: string[];
  score?: number;
}

// ---- residents ----
export const getResidents = (query: Query = {}, max = 5000) => listAll<Resident>('/residents', query, max);
export const searchResidents = (q: string, query: Query = {}) =>
  http.get<List<Resident>>('/residents', { ...query, q, limit: 20 }).then(asList);
/** The desk look-up: the one resident with this full ID number (a manager may find one beyond its facilities). */
export const lookUpResidentByIdNumber = (idNumber: string) =>
  http.get<List<Resident>>('/residents', { idNumber }).then(asList);
export const getResident = (id: string) => http.get<Resident>(`/residents/${enc(id)}`);
export const createResident = (body: NewResident) => http.post<Resident>('/residents', body);

// ---- caregivers, service points ----
export const getCaregivers = (query: Query = {}) => listAll<Caregiver>('/caregivers', query);
export const getServicePoints = () => listAll<ServicePoint>('/service-points');
export async function getSchedule(caregiverId: string, date: string): Promise<CaregiverSchedule> {
  const raw = await http.get<unknown>(`/caregivers/${enc(caregiverId)}/schedule`, { date });
  return normaliseSchedule(caregiverId, date, raw);
}

// ---- care orders ----
export const getCareOrders = (query: {
  status?: OrderStatus;
  regionCode?: string;
  date?: string;
  caregiverId?: string;
}) => listAll<CareOrder>('/care-orders', query);
export const getCareOrder = (id: string) => http.get<CareOrder>(`/care-orders/${enc(id)}`);
export const acceptOrder = (id: string) => http.post<CareOrder>(`/care-orders/${enc(id)}/accept`);
export const declineOrder = (id: string, reason: string) =>
  http.post<CareOrder>(`/care-orders/${enc(id)}/decline`, { reason });
export const checkIn = (id: string, coords: { lat: number; lng: number } | null) =>
  http.post<CareOrder>(`/care-orders/${enc(id)}/check-in`, coords ?? {});
export const checkOut = (
  id: string,
  body: { servicesDone: string[]; notes?: string; vitals?: Vitals; lat?: number; lng?: number },
) => http.post<CareOrder>(`/care-orders/${enc(id)}/check-out`, body);
export const createCareOrder = (
  body: {
    residentId: string;
    services: string[];
    windowStart: string;
    windowEnd: string;
    durationMinutes?: number;
    priority?: 'normal' | 'urgent';
    notes?: string;
  },
  idempotencyKey: string,
) => http.post<{ id: string; status: OrderStatus }>('/care-orders', body, { 'Idempotency-Key': idempotencyKey });
export const generateVisitPlans = (month: string, regionCode?: string) =>
  http.post<{ jobId: string }>('/visit-plans/generate', regionCode ? { month, regionCode } : { month });
export const cancelOrder = (id: string, reason: string) =>
  http.post<CareOrder>(`/care-orders/${enc(id)}/cancel`, { reason });

// ---- statistics ----
export const getCoverage = (query: { month?: string; regionCode?: string } = {}) =>
  http.get<CoverageStats>('/stats/coverage', query);
export async function getCoverageHistory(from: string, to: string): Promise<CoverageHistory> {
  const raw = await http.get<unknown>('/stats/coverage/history', { from, to });
  const missing =
    isObj(raw) && Array.isArray(raw.missing) ? raw.missing.filter((m): m is string => typeof m === 'string') : [];
  return { points: normaliseHistory(raw), missing };
}
export const getNextSteps = (month: string) => http.get<NextStepsReport>('/stats/next-steps', { month });
export const getFacilityStats = () => listAll<FacilityStatsRow>('/stats/facilities');
export const exportCoverage = (format: 'xlsx' | 'csv', month: string) =>
  downloadFile('/stats/coverage/export', { format, month }, `养老服务覆盖率统计-${month}.${format}`);

// ---- office screens ----

/** One page of a list (the office screens page through the server instead of reading everything). */
export const getPage = <T>(path: string, query: Query, limit: number, offset: number) =>
  http.get<List<T> | T[]>(path, { ...query, limit, offset }).then((d) => asList<T>(d));

export const getResidentsPage = (query: Query, limit: number, offset: number) =>
  getPage<Resident>('/residents', query, limit, offset);
export const updateResident = (id: string, body: ResidentChange) => http.patch<Resident>(`/residents/${enc(id)}`, body);
export const getAssessments = (residentId: string) =>
  listAll<Assessment>(`/residents/${enc(residentId)}/assessments`, {}, 500);
export const createAssessment = (residentId: string, body: NewAssessment) =>
  http.post<Assessment>(`/residents/${enc(residentId)}/assessments`, body);
export const getDueAssessments = (query: Query, limit: number, offset: number) =>
  getPage<DueAssessment>('/assessments/due', query, limit, offset);
export const getResidentOrders = (residentId: string) =>
  http.get<List<CareOrder>>('/care-orders', { residentId, limit: 50 }).then(asList);

export const getUsers = () => listAll<UserAccount>('/users');
export const createUser = (body: NewUser) => http.post<UserAccount>('/users', body);
export const updateUser = (id: string, body: UserChange) => http.patch<UserAccount>(`/users/${enc(id)}`, body);
export const setUserPassword = (id: string, password: string) =>
  http.post<unknown>(`/users/${enc(id)}/password`, { password });

export const createFacility = (body: NewFacility) => http.post<Facility>('/facilities', body);
export const updateFacility = (id: string, body: Partial<NewFacility>) =>
  http.patch<Facility>(`/facilities/${enc(id)}`, body);
export const createBedsBulk = (facilityId: string, beds: NewBed[]) =>
  http.post<{ created: number }>(`/facilities/${enc(facilityId)}/beds/bulk`, { beds });

export const createServicePoint = (body: NewServicePoint) => http.post<ServicePoint>('/service-points', body);
export const createCaregiver = (body: NewCaregiver) => http.post<Caregiver>('/caregivers', body);
export const updateCaregiver = (id: string, body: Partial<NewCaregiver> & { active?: boolean }) =>
  http.patch<Caregiver>(`/caregivers/${enc(id)}`, body);
export const getCaregiversPage = (query: Query, limit: number, offset: number) =>
  getPage<Caregiver>('/caregivers', query, limit, offset);

/** GET /dispatch/kpis; null while the endpoint does not exist yet (404), so the panel shows "—". */
export async function getDispatchKpis(date: string, regionCode?: string): Promise<DispatchKpis | null> {
  try {
    return await http.get<DispatchKpis>('/dispatch/kpis', { date, regionCode });
  } catch (e) {
    if (e instanceof ApiError && e.statusCode === 404) return null;
    throw e;
  }
}

// ---- normalisers for shapes the contract leaves open ----

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Display text of a reason given as a code or as `{ code, zh, en }`. */
export function reasonText(r: ReasonLike): string {
  if (typeof r === 'string') return reasonLabel(r);
  return r.zh ?? r.label ?? r.message ?? (r.code ? reasonLabel(r.code) : '') ?? '';
}

export function normaliseWaitlistEntry(raw: unknown): WaitlistEntry | null {
  if (!isObj(raw)) return null;
  const prio = isObj(raw.priority) ? raw.priority : {};
  const resident = isObj(raw.resident) ? (raw.resident as Partial<Resident>) : null;
  const residentId = str(raw.residentId ?? resident?.id);
  if (!residentId) return null;
  const reasons = (
    Array.isArray(raw.reasons) ? raw.reasons : Array.isArray(prio.reasons) ? prio.reasons : []
  ) as ReasonLike[];
  const hints = (Array.isArray(raw.hints) ? raw.hints : Array.isArray(prio.hints) ? prio.hints : []) as ReasonLike[];
  const tierName = raw.tierName ?? prio.tierName ?? prio.name;
  return {
    id: str(raw.id),
    residentId,
    tier: num(raw.tier) ?? num(prio.tier) ?? num(raw.priority),
    tierName: typeof tierName === 'string' ? tierName : isObj(tierName) ? str(tierName.zh) : undefined,
    position: num(raw.position),
    reasons: reasons.map(reasonText).filter(Boolean),
    hints: hints.map(reasonText).filter(Boolean),
    appliedAt: str(raw.appliedAt ?? raw.createdAt),
    resident,
    residentName: str(raw.residentName),
  };
}

export function normaliseSchedule(caregiverId: string, date: string, raw: unknown): CaregiverSchedule {
  const o: Obj = isObj(raw) ? raw : {};
  const arr: unknown[] = Array.isArray(raw) ? raw : ((o.visits ?? o.items ?? o.orders ?? o.stops ?? []) as unknown[]);
  const cg = isObj(o.caregiver) ? o.caregiver : {};
  const visits: ScheduleVisit[] = [];
  for (const v of Array.isArray(arr) ? arr : []) {
    if (!isObj(v)) continue;
    const order = isObj(v.order) ? v.order : {};
    const resident = isObj(v.resident) ? v.resident : isObj(order.resident) ? order.resident : {};
    const plannedStart = str(v.plannedStart ?? v.start ?? order.plannedStart);
    const plannedEnd = str(v.plannedEnd ?? v.end ?? order.plannedEnd);
    if (!plannedStart || !plannedEnd) continue;
    visits.push({
      orderId: str(v.orderId ?? v.careOrderId ?? order.id ?? v.id) ?? '',
      residentId: str(v.residentId ?? order.residentId ?? resident.id),
      residentName: str(v.residentName ?? resident.name),
      address: str(v.address ?? resident.address),
      plannedStart,
      plannedEnd,
      travelMinutes: num(v.travelMinutes ?? v.travelMinutesBefore ?? v.travelBefore ?? order.travelMinutes) ?? 0,
      status: str(v.status ?? order.status) as ScheduleVisit['status'],
      services: (Array.isArray(v.services)
        ? v.services
        : Array.isArray(order.services)
          ? order.services
          : undefined) as string[] | undefined,
    });
  }
  visits.sort((a, b) => a.plannedStart.localeCompare(b.plannedStart));
  return {
    caregiverId,
    date: str(o.date) ?? date,
    shiftStart: str(o.shiftStart ?? cg.shiftStart),
    shiftEnd: str(o.shiftEnd ?? cg.shiftEnd),
    visits,
    returnTravelMinutes: num(o.returnTravelMinutes ?? o.travelBackMinutes ?? o.returnMinutes),
    servicePoint:
      isObj(o.servicePoint) &&
      num(Number(o.servicePoint.lat)) !== undefined &&
      num(Number(o.servicePoint.lng)) !== undefined
        ? {
            id: str(o.servicePoint.id),
            name: str(o.servicePoint.name),
            lat: Number(o.servicePoint.lat),
            lng: Number(o.servicePoint.lng),
          }
        : undefined,
  };
}

export function normaliseHistory(raw: unknown): CoverageHistoryPoint[] {
  const o: Obj = isObj(raw) ? raw : {};
  const arr = Array.isArray(raw) ? raw : ((o.items ?? o.months ?? o.series ?? []) as unknown[]);
  const points: CoverageHistoryPoint[] = [];
  for (const p of Array.isArray(arr) ? arr : []) {
    if (!isObj(p)) continue;
    const month = str(p.month ?? p.period ?? p.asOf)?.slice(0, 7);
    if (!month) continue;
    let indicators: Indicator[] = [];
    if (Array.isArray(p.indicators)) indicators = p.indicators as Indicator[];
    else if (isObj(p.indicators)) {
      indicators = Object.entries(p.indicators).map(([key, v]) =>
        isObj(v) ? ({ ...(v as object), key } as Indicator) : emptyIndicator(key, num(v) ?? null),
      );
    } else if (str(p.key)) {
      // long format: one row per month and indicator
      const existing = points.find((x) => x.month === month);
      const ind = { ...(p as object) } as Indicator;
      if (existing) existing.indicators.push(ind);
      else points.push({ month, indicators: [ind] });
      continue;
    }
    points.push({ month, indicators });
  }
  points.sort((a, b) => a.month.localeCompare(b.month));
  return points;
}

function emptyIndicator(key: string, value: number | null): Indicator {
  return { key, value, numerator: null, denominator: null, target: null, comparator: null, met: null };
}
