/**
 * The demo county as plain typed data: what the seed feeds through the services (facilities, beds, residents,
 * stays, assessments, service points, caregivers, care orders). Records refer to each other by `key`, never by
 * database id; the seed maps keys to the ids the services return. Times are ISO-8601 with the county offset.
 */

export type AreaKind = 'urban' | 'rural';
export type Gender = 'male' | 'female';

export interface DemoTownship {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly kind: AreaKind;
  /** Township seat (乡镇驻地) coordinates. */
  readonly lat: number;
  readonly lng: number;
  /**
   * True for every township but the county seat: township coordinates are not published, so these were
   * generated inside the county extent (regions-620422.json) and are NOT the real positions. The seat 会师镇
   * uses the approximate published position of the county seat.
   */
  readonly coordinatesGenerated: boolean;
  /** Service points (服务网点) of the doorstep programme in this township; the county has 315 in all. */
  readonly servicePoints: number;
}

export type FacilityType = 'welfare_institute' | 'nursing_home' | 'service_center' | 'community_station';
export type BedType = 'nursing' | 'ordinary';

export interface DemoRoom {
  readonly building?: string;
  readonly floor?: number;
  readonly room: string;
  readonly type: BedType;
  /** Number of beds; at most 6 nursing-type or 4 ordinary ones (JGJ 450-2018). */
  readonly beds: number;
  /** A room taken out of service: its beds are `closed` (kept in the data to show they are not counted). */
  readonly closed?: { readonly reason: string };
}

export interface DemoFacility {
  readonly key: string;
  readonly name: string;
  readonly type: FacilityType;
  readonly regionCode: string;
  readonly address: string;
  readonly lat: number;
  readonly lng: number;
  /** The facility sits at its township's generated seat position (see {@link DemoTownship}). */
  readonly coordinatesGenerated: boolean;
  readonly ownership: 'public' | 'private';
  /** 具备综合功能 — has the full set of functions now (a planned building has none yet). */
  readonly comprehensive: boolean;
  /**
   * `operating`: in service in the 2020 baseline. `planned`: a project of the 14th plan — no beds in service,
   * not counted by any indicator; its capacity is `plannedBeds`.
   */
  readonly status: 'operating' | 'planned';
  /** Beds the plan adds (for an operating facility: the extension). */
  readonly plannedBeds: number;
  /** What a planned facility will have when it opens (the plan's description). */
  readonly plannedComprehensive?: boolean;
  readonly rooms: readonly DemoRoom[];
  /** Where the figures come from. */
  readonly source: string;
}

export type BedStatus = 'vacant' | 'occupied' | 'closed';

export interface DemoBed {
  /** `${facilityKey}/${room}/${label}` */
  readonly key: string;
  readonly facilityKey: string;
  readonly building?: string;
  readonly floor?: number;
  readonly room: string;
  readonly label: string;
  readonly type: BedType;
  /** The state after the seed: occupied by an active stay, vacant, or closed. */
  readonly status: BedStatus;
}

export type ResidentCategory =
  | 'destitute'
  | 'low_income'
  | 'economic_hardship'
  | 'disabled'
  | 'empty_nest'
  | 'living_alone'
  | 'left_behind'
  | 'family_planning_special'
  | 'special_contribution';

export interface DemoResident {
  readonly key: string;
  readonly name: string;
  /** 18 characters, valid GB 11643 check character, region prefix 620422. */
  readonly idNumber: string;
  readonly gender: Gender;
  readonly birthDate: string;
  readonly regionCode: string;
  readonly livingArrangement: 'home' | 'institution';
  readonly categories: readonly ResidentCategory[];
  readonly address: string;
  /** Home position (generated) for residents at home; the facility's for residents in an institution. */
  readonly lat: number;
  readonly lng: number;
  readonly phone?: string;
}

export type CareGrade = 'self_care' | 'half_care' | 'full_care';
export type AbilityLevel = 0 | 1 | 2 | 3 | 4;

export interface DemoAssessment {
  readonly residentKey: string;
  readonly assessedAt: string;
  readonly assessors: readonly [string, string];
  readonly reason: 'initial' | 'periodic' | 'condition_change' | 'dispute';
  /** One integer per item of GB/T 42195-2022, keyed as in the API. */
  readonly items: Readonly<Record<string, number>>;
  readonly conditions: {
    readonly coma: boolean;
    readonly dementia: boolean;
    readonly mentalDisorder: boolean;
    readonly riskEvents30d: {
      readonly falls: number;
      readonly wandering: number;
      readonly choking: number;
      readonly suicideOrSelfHarm: number;
      readonly other: number;
    };
  };
  /** What the assessment rules must compute from the items (the generator checks it). */
  readonly expected: {
    readonly total: number;
    readonly preliminaryLevel: AbilityLevel;
    readonly level: AbilityLevel;
    readonly careGrade: CareGrade;
    readonly validUntil: string;
  };
}

export interface DemoStay {
  readonly residentKey: string;
  readonly facilityKey: string;
  readonly bedKey: string;
  readonly admittedAt: string;
  /** Given when a resident who needs a nursing-type bed was placed in an ordinary one. */
  readonly overrideReason?: string;
}

export interface DemoServicePoint {
  readonly key: string;
  readonly name: string;
  readonly regionCode: string;
  readonly lat: number;
  readonly lng: number;
}

export type Skill = 'housekeeping' | 'personal_care' | 'health' | 'escort' | 'nursing';

export interface DemoCaregiver {
  readonly key: string;
  readonly name: string;
  readonly phone: string;
  readonly gender: Gender;
  readonly servicePointKey: string;
  readonly skills: readonly Skill[];
  readonly shiftStart: string;
  readonly shiftEnd: string;
  readonly maxDailyVisits: number;
  readonly active: boolean;
}

export type ServiceCode =
  | 'home_cleaning'
  | 'personal_hygiene'
  | 'laundry'
  | 'health_check'
  | 'safety_check'
  | 'meal_assist'
  | 'bathing'
  | 'medical_escort'
  | 'rehab_care'
  | 'companionship'
  | 'errand';

export interface DemoVitals {
  readonly systolic: number;
  readonly diastolic: number;
  readonly heartRate: number;
  readonly temperature: number;
}

/** One visit of the monthly plan (a care order). */
export interface DemoVisit {
  readonly key: string;
  readonly residentKey: string;
  /** 0, 1, 2: the third of the month (days 1–10, 11–20, 21–end). */
  readonly third: 0 | 1 | 2;
  readonly services: readonly ServiceCode[];
  readonly windowStart: string;
  readonly windowEnd: string;
  /** assigned: a visit of the demo's own day ("today"), waiting for its caregiver. */
  readonly status: 'completed' | 'cancelled' | 'unassigned' | 'assigned';
  readonly caregiverKey?: string;
  readonly plannedStart?: string;
  readonly plannedEnd?: string;
  /** Travel minutes from the caregiver's service point (the model of domain.md §5). */
  readonly travelMinutes?: number;
  readonly checkInAt?: string;
  readonly checkOutAt?: string;
  readonly vitals?: DemoVitals;
  readonly cancelReason?: string;
  readonly unassignedReason?: 'OUT_OF_SERVICE_CIRCLE';
}

export interface DemoStaffMember {
  readonly key: string;
  readonly facilityKey: string;
  readonly name: string;
  readonly role: 'social_worker';
}

export interface DemoCounty {
  readonly seed: string;
  /** The month of the visits; assessments are valid or expired as of its last day. */
  readonly month: string;
  /** Last day of the month (YYYY-MM-DD): "the day that matters" for ages and assessment validity. */
  readonly asOf: string;
  readonly townships: readonly DemoTownship[];
  readonly facilities: readonly DemoFacility[];
  readonly beds: readonly DemoBed[];
  readonly residents: readonly DemoResident[];
  readonly stays: readonly DemoStay[];
  readonly assessments: readonly DemoAssessment[];
  readonly servicePoints: readonly DemoServicePoint[];
  readonly caregivers: readonly DemoCaregiver[];
  readonly visits: readonly DemoVisit[];
  readonly staff: readonly DemoStaffMember[];
  /**
   * Visits of other months (DemoOptions.historyMonths before `month`, and with DemoOptions.today the month after
   * it up to that day), oldest first; empty without those options.
   */
  readonly otherMonths: readonly DemoMonthVisits[];
}

export interface DemoMonthVisits {
  readonly month: string;
  /** False for a whole past month; true for the month of `today`, seeded only up to that day. */
  readonly partial: boolean;
  readonly visits: readonly DemoVisit[];
}
