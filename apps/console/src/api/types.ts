// Types of the HTTP API contract (shared/spec/api-contract.md, version 1).
// Fields the contract does not name are optional here; the console never depends on them being present.

export type Role = 'admin' | 'bureau' | 'manager' | 'dispatcher' | 'caregiver' | 'integration';

export interface SessionUser {
  id: string;
  username: string;
  role: Role;
  facilityIds: string[];
  caregiverId: string | null;
}

export interface LoginResponse {
  accessToken: string;
  user: SessionUser;
}

export interface List<T> {
  items: T[];
  total: number;
}

export interface Region {
  code: string;
  name: string;
  kind: 'urban' | 'rural';
  parentCode: string | null;
}

export type FacilityType = 'welfare_institute' | 'nursing_home' | 'service_center' | 'community_station';

export interface Facility {
  id: string;
  name: string;
  type: FacilityType;
  regionCode: string;
  address?: string | null;
  lat: number;
  lng: number;
  ownership: 'public' | 'private';
  comprehensive: boolean;
}

export type BedType = 'nursing' | 'ordinary';
export type BedStatus = 'vacant' | 'occupied' | 'reserved' | 'maintenance' | 'closed';
export type Gender = 'male' | 'female';

export interface Bed {
  id: string;
  facilityId: string;
  room: string;
  label: string;
  type: BedType;
  status: BedStatus;
  building?: string | null;
  floor?: string | number | null;
  gender?: Gender | null;
  reservedForResidentId?: string | null;
  reservedUntil?: string | null;
}

export interface BedSummary {
  total: number;
  nursing: number;
  ordinary: number;
  occupied: number;
  vacant: number;
  nursingShare: number;
  utilization: number;
  nursingShareTarget: number;
  meetsNursingShareTarget: boolean;
}

export type Category =
  | 'destitute'
  | 'low_income'
  | 'economic_hardship'
  | 'disabled'
  | 'empty_nest'
  | 'living_alone'
  | 'left_behind'
  | 'family_planning_special'
  | 'special_contribution';

export interface AssessmentSummary {
  id?: string;
  level: number;
  levelName?: string;
  total?: number;
  assessedAt?: string;
  validUntil?: string;
}

export interface Resident {
  id: string;
  name: string;
  idNumberMasked?: string;
  regionCode?: string;
  livingArrangement?: 'home' | 'institution';
  categories?: Category[];
  address?: string | null;
  lat?: number | null;
  lng?: number | null;
  phone?: string | null;
  gender?: Gender | null;
  birthDate?: string | null;
  age?: number;
  latestAssessment?: AssessmentSummary | null;
}

export interface NewResident {
  name: string;
  idNumber: string;
  regionCode: string;
  livingArrangement: 'home' | 'institution';
  categories: Category[];
  address?: string;
  phone?: string;
  lat?: number;
  lng?: number;
  /** the facility registering the resident (its managers may then see it) */
  facilityId?: string;
}

export interface Stay {
  id: string;
  residentId: string;
  bedId: string;
  facilityId: string;
  admittedAt: string;
  status: 'active' | 'discharged';
  dischargedAt?: string | null;
  dischargeReason?: string | null;
  overrideReason?: string | null;
  resident?: Partial<Resident> | null;
  residentName?: string | null;
}

export type DischargeReason = 'deceased' | 'returned_home' | 'transferred_out' | 'other';

/** A reason as the API may give it: a code, or `{ code, zh, en }`. */
export type ReasonLike = string | { code?: string; zh?: string; en?: string; label?: string; message?: string };

/** One waitlist entry, normalised from GET /facilities/:id/waitlist. */
export interface WaitlistEntry {
  id?: string;
  residentId: string;
  /** 1 (best) … 4 */
  tier?: number;
  tierName?: string;
  position?: number;
  /** display texts (Chinese when the API gives it) */
  reasons: string[];
  hints: string[];
  appliedAt?: string;
  resident?: Partial<Resident> | null;
  residentName?: string;
}

export interface BedRecommendation {
  bedId?: string;
  id?: string;
  bed?: Partial<Bed>;
  room?: string;
  label?: string;
  type?: BedType;
  reasons?: ReasonLike[];
  score?: number;
}

export interface ServicePoint {
  id: string;
  name: string;
  regionCode: string;
  lat: number;
  lng: number;
}

export interface Caregiver {
  id: string;
  name: string;
  phone?: string;
  gender?: Gender;
  servicePointId?: string;
  servicePoint?: Partial<ServicePoint> | null;
  regionCode?: string;
  skills?: string[];
  shiftStart?: string;
  shiftEnd?: string;
  maxDailyVisits?: number;
  active?: boolean;
}

export interface ServiceItem {
  code: string;
  name: string;
  defaultMinutes: number;
  skill: string | null;
}

export type OrderStatus =
  'pending' | 'assigned' | 'accepted' | 'in_progress' | 'completed' | 'unassigned' | 'cancelled' | 'incomplete';

export type UnassignedReason =
  'NO_SKILLED_CAREGIVER' | 'OUT_OF_SERVICE_CIRCLE' | 'NO_CAPACITY' | 'RESIDENT_NOT_AT_HOME';

export interface CareOrder {
  id: string;
  residentId: string;
  services: string[];
  windowStart: string;
  windowEnd: string;
  status: OrderStatus;
  priority?: 'normal' | 'urgent';
  /** `emergency`: made by a one-key call (一键呼叫). */
  source?: string;
  notes?: string | null;
  caregiverId?: string | null;
  plannedStart?: string | null;
  plannedEnd?: string | null;
  travelMinutes?: number | null;
  unassignedReason?: UnassignedReason | null;
  resident?: Partial<Resident> | null;
  residentName?: string | null;
  checkInAt?: string | null;
  checkOutAt?: string | null;
  flags?: string[];
}

export interface Vitals {
  systolic?: number;
  diastolic?: number;
  heartRate?: number;
  bloodGlucose?: number;
  temperature?: number;
}

/** One visit of a caregiver's day, as read from GET /caregivers/:id/schedule (normalised). */
export interface ScheduleVisit {
  orderId: string;
  residentId?: string;
  residentName?: string;
  address?: string;
  plannedStart: string;
  plannedEnd: string;
  travelMinutes: number;
  status?: OrderStatus;
  services?: string[];
}

export interface CaregiverSchedule {
  caregiverId: string;
  date: string;
  shiftStart?: string;
  shiftEnd?: string;
  visits: ScheduleVisit[];
  returnTravelMinutes?: number;
  servicePoint?: { id?: string; name?: string; lat: number; lng: number };
}

export type IndicatorKey =
  | 'nursing_bed_share'
  | 'bed_utilization'
  | 'township_comprehensive_coverage'
  | 'doorstep_visit_coverage'
  | 'service_circle_coverage'
  | 'assessment_coverage'
  | 'social_workers_per_100_beds';

export interface Indicator {
  key: IndicatorKey | string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  target: number | null;
  comparator?: string | null;
  met: boolean | null;
}

export interface CoverageStats {
  asOf: string;
  month?: string;
  indicators: Indicator[];
  byRegion: { regionCode: string; name: string; indicators: Indicator[] }[];
}

/** One month of GET /stats/coverage/history (normalised). */
export interface CoverageHistoryPoint {
  month: string;
  indicators: Indicator[];
}

export interface CoverageHistory {
  points: CoverageHistoryPoint[];
  /** months of the range without a snapshot */
  missing: string[];
}

export interface NursingBedGap {
  target: number;
  nursingBeds: number;
  bedsInService: number;
  toConvert: number | null;
  toAdd: number | null;
  plannedBeds: number;
  plannedMustBeNursing: number | null;
}

/** GET /stats/next-steps: the gaps behind the indicators, for the county (`total`) and per township. */
export interface NextSteps {
  nursingBeds?: NursingBedGap;
  townshipsWithoutComprehensive?: number;
  eligibleOutsideServiceCircle?: number;
  eligibleShortOfVisits?: number;
  expiredAssessments?: number;
  neverAssessed?: number;
}
export interface NextStepsReport {
  month?: string;
  asOf?: string;
  total: NextSteps;
  byRegion?: (NextSteps & { regionCode: string; name: string })[];
}

export interface FacilityStatsRow {
  facilityId?: string;
  id?: string;
  name?: string;
  facilityName?: string;
  type?: FacilityType;
  regionCode?: string;
  beds?: number | { total?: number; nursing?: number; ordinary?: number };
  total?: number;
  nursing?: number;
  ordinary?: number;
  occupied?: number;
  nursingShare?: number | null;
  utilization?: number | null;
  residentsByLevel?: Record<string, number> | number[];
  residentsWithExpiredAssessment?: number;
  comprehensive?: boolean;
}

// ---- office screens: residents, assessments, users, set-up, dispatch KPIs ----

export type LivingArrangement = 'home' | 'institution';

/** PATCH /residents/:id: the fields that may change (the ID number, gender and birth date never do). */
export interface ResidentChange {
  name?: string;
  address?: string | null;
  phone?: string | null;
  lat?: number | null;
  lng?: number | null;
  categories?: Category[];
  livingArrangement?: LivingArrangement;
}

export type AssessmentReasonCode = 'initial' | 'periodic' | 'condition_change' | 'dispute' | 'other';

/** POST /residents/:id/assessments body. */
export interface NewAssessment {
  assessedAt: string;
  assessors: string[];
  reason: AssessmentReasonCode;
  items: Record<string, number>;
  conditions: {
    coma: boolean;
    dementia: boolean;
    mentalDisorder: boolean;
    riskEvents30d: Record<string, number>;
  };
  note?: string;
}

/** One assessment as GET/POST /residents/:id/assessments return it (fields beyond the contract optional). */
export interface Assessment {
  id: string;
  residentId?: string;
  assessedAt?: string;
  assessors?: string[];
  reason?: string;
  scores?: { selfCare: number; mobility: number; mentalState: number; perceptionSocial: number } | null;
  total?: number | null;
  preliminaryLevel?: number | null;
  level: number;
  levelName?: string | { zh?: string; en?: string } | null;
  validUntil?: string | null;
  legacy?: boolean;
  standard?: string;
}

export interface UserAccount {
  id: string;
  username: string;
  role: Role;
  facilityIds: string[];
  caregiverId: string | null;
  active?: boolean;
  createdAt?: string;
}

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  facilityIds?: string[];
  caregiverId?: string;
}

export interface UserChange {
  role?: Role;
  facilityIds?: string[];
  caregiverId?: string | null;
  active?: boolean;
}

export interface NewFacility {
  name: string;
  type: FacilityType;
  regionCode: string;
  address?: string;
  lat: number;
  lng: number;
  ownership: 'public' | 'private';
  comprehensive: boolean;
}

export interface NewBed {
  room: string;
  label: string;
  type: BedType;
  building?: string;
  floor?: number;
  gender?: Gender;
}

export interface NewServicePoint {
  name: string;
  regionCode: string;
  lat: number;
  lng: number;
}

export interface NewCaregiver {
  name: string;
  phone: string;
  gender: Gender;
  servicePointId: string;
  skills: string[];
  shiftStart: string;
  shiftEnd: string;
  maxDailyVisits: number;
}

/** GET /dispatch/kpis: the day's dispatch quality. */
export interface DispatchKpis {
  orders: number;
  assigned: number;
  urgentOrders: number;
  urgentAssigned: number;
  unassignedByReason: Partial<Record<UnassignedReason, number>>;
  travelMinutesPerVisit: number | null;
  continuityShare: number | null;
  visitsPerCaregiverSd: number | null;
  assignSecondsP50: number | null;
  assignSecondsP95: number | null;
}

export type DueStatus = 'expired' | 'due' | 'legacy' | 'none';

/** One row of GET /assessments/due. */
export interface DueAssessment {
  resident: Pick<Resident, 'id' | 'name' | 'idNumberMasked' | 'gender' | 'regionCode' | 'livingArrangement'>;
  status: DueStatus;
  latestAssessment: {
    id: string;
    standard: string;
    assessedAt: string | null;
    level: number;
    validUntil: string | null;
  } | null;
}
