/**
 * The demo county, generated deterministically (same seed and month, same data).
 *
 * What it reproduces (plan-figures.md, 2020 baseline): 3 institutions, 142 beds in service of which 67
 * nursing-type (all at the welfare institute: 67/81 = 82.7 %), 118 residents in beds (utilisation
 * 118/142 = 0.831), 70 destitute residents at the welfare institute — 16 full care, 47 half care, 7 self-care —
 * whose grades come from item scores the assessment rules turn into levels (full care = level 3–4, half care =
 * 1–2, self-care = 0); 315 service points with 315 caregivers across the 28 townships; eligible elders at home with
 * a month of the 3-visits-a-month programme.
 *
 * What it invents (the plan gives no figures), each chosen so that the bureau's first look shows the gaps the
 * plan talks about, with exact, known counts:
 * - the other residents: 4 non-destitute at the welfare institute, 19 at Hepan (two of level 2 in ordinary beds
 *   with an override reason — there is no nursing-type bed in the township), 25 at Gangouyi;
 * - 4 eligible elders per service point (1,260; ≈ 108,305 visits in the programme's first ~29 months);
 *   {@link DEMO_COUNTS}.remoteEligible of them live outside every service circle (their visits stay unassigned,
 *   OUT_OF_SERVICE_CIRCLE); {@link DEMO_COUNTS}.shortOfVisits had one visit cancelled (in hospital);
 *   {@link DEMO_COUNTS}.expiredAssessments have an expired assessment, {@link DEMO_COUNTS}.neverAssessed none;
 * - elders at home who are not eligible (low-income, empty-nest only) and a few under 60, to exercise the filters;
 * - one social worker, at the welfare institute (0.70 per 100 beds, below the plan's 1).
 */
import { orderDurationMinutes } from '@care/dispatch';
import { addMonths, haversineKm, travelMinutes, type GeoPoint, type MonthThird } from '@care/core';

import { assessmentForLevel, type ImpairmentProfile } from './assessment-items';
import { addDays, countyTime, daysBetween, lastDayOfMonth, monthThird, parseMonth } from './dates';
import { FACILITIES, GANGOUYI_HOME_KEY, HEPAN_HOME_KEY, WELFARE_INSTITUTE_KEY } from './facilities';
import { buildIdNumber } from './id-number';
import { mobileNumber, personName, villageAddress } from './names';
import { Random } from './prng';
import { COUNTY_CODE, COUNTY_EXTENT, TOWNSHIPS, township } from './townships';
import type {
  AbilityLevel,
  DemoAssessment,
  DemoBed,
  DemoCaregiver,
  DemoCounty,
  DemoFacility,
  DemoResident,
  DemoMonthVisits,
  DemoServicePoint,
  DemoStaffMember,
  DemoStay,
  DemoTownship,
  DemoVisit,
  Gender,
  ResidentCategory,
  ServiceCode,
} from './types';

export const DEFAULT_DEMO_SEED = 'huining-2020';
export const DEFAULT_DEMO_MONTH = '2020-12';

/** The invented counts, fixed so that tests and the first look at the statistics know them exactly. */
export const DEMO_COUNTS = Object.freeze({
  eligiblePerServicePoint: 4,
  remoteEligible: 18,
  shortOfVisits: 30,
  expiredAssessments: 76,
  neverAssessed: 50,
  nonEligibleAtHome: 60,
  under60AtHome: 5,
  socialWorkers: 1,
});

// ── institution residents, by facility: [ability level, how many, categories, options] ─────────────────────
interface ResidentGroup {
  readonly level: AbilityLevel;
  readonly count: number;
  readonly categories: readonly ResidentCategory[];
  readonly dementia?: boolean;
  readonly overrideReason?: string;
}

const NO_NURSING_BED_HERE = '本镇无护理型床位，已列入县社会福利院轮候名单';

/**
 * Welfare institute: the plan's 70 destitute residents — full care 16 (level 3–4), half care 47 (level 1–2), the
 * rest 7 self-care (level 0) — plus 4 others; 74 in 81 beds. Hepan 19 in 22, Gangouyi 25 in 39: 118 in all.
 */
const INSTITUTION_RESIDENTS: Readonly<Record<string, readonly ResidentGroup[]>> = {
  [WELFARE_INSTITUTE_KEY]: [
    { level: 4, count: 6, categories: ['destitute'] },
    { level: 3, count: 6, categories: ['destitute'] },
    { level: 3, count: 4, categories: ['destitute'], dementia: true },
    { level: 2, count: 30, categories: ['destitute'] },
    { level: 1, count: 17, categories: ['destitute'] },
    { level: 0, count: 7, categories: ['destitute'] },
    { level: 2, count: 1, categories: ['family_planning_special'] },
    { level: 1, count: 1, categories: ['special_contribution'] },
    { level: 0, count: 1, categories: ['special_contribution'] },
    { level: 1, count: 1, categories: ['low_income', 'living_alone'] },
  ],
  [HEPAN_HOME_KEY]: [
    { level: 0, count: 8, categories: ['destitute'] },
    { level: 1, count: 9, categories: ['destitute'] },
    { level: 2, count: 2, categories: ['destitute', 'disabled'], overrideReason: NO_NURSING_BED_HERE },
  ],
  [GANGOUYI_HOME_KEY]: [
    { level: 0, count: 12, categories: ['destitute'] },
    { level: 1, count: 13, categories: ['destitute'] },
  ],
};

/** Level of an eligible elder at home: [level, weight]. */
const HOME_LEVEL_WEIGHTS: readonly number[] = [30, 45, 17, 6, 2];

/** Rural: up to 8 km from the service point; urban (the seat): up to 3 km — well inside the 30/15-minute circle. */
const HOME_RADIUS_KM = { urban: 3, rural: 8 } as const;
/**
 * Two remote corners of the county without a service point: the north-west of 大沟镇 and the south-east of
 * 侯家川镇. Service points keep REMOTE_CLEARANCE_KM away; the remote elders live within 2 km of the corner.
 * 10 + 8 = DEMO_COUNTS.remoteEligible.
 */
const REMOTE_AREAS: readonly { township: string; centre: GeoPoint; elders: number }[] = [
  { township: '620422111', centre: { lat: 36.41, lng: 104.51 }, elders: 10 },
  { township: '620422106', centre: { lat: 35.42, lng: 105.5 }, elders: 8 },
];
const REMOTE_CLEARANCE_KM = 14.5;

/** Service points lie within this distance of the township position. */
const POINT_RADIUS_KM = { urban: 2.5, rural: 9 } as const;

const ROTATION: readonly ServiceCode[] = ['home_cleaning', 'personal_hygiene', 'laundry'];
const VISIT_WINDOW = { start: 9 * 60, end: 17 * 60 } as const;
const SHIFT = { start: '08:00', end: '18:00' } as const;
const ASSESSORS = ['刘建华', '王淑芳', '张立新', '马玉梅', '杨文斌', '陈小琴'] as const;

export interface DemoOptions {
  readonly seed?: string;
  /** YYYY-MM: the month of the visits; "the day that matters" is its last day. */
  readonly month?: string;
  /** Whole months of visits before `month` too (the dashboard's monthly trend); 0 by default. */
  readonly historyMonths?: number;
  /**
   * The demo's own day (YYYY-MM-DD, county time), when it falls in the month after `month`: that month is seeded
   * up to it (the dashboard's live month is not empty), and every caregiver has two visits on it, assigned and
   * waiting (the caregiver's walk-through works on the day the demo is loaded). Visits after it are left to the
   * visit plan.
   */
  readonly today?: string;
}

/** The month `n` months after (negative: before) `month`. */
export function shiftMonth(month: string, n: number): string {
  return addMonths(month, n);
}

const KM_PER_DEG_LAT = 111.32;

function offsetKm(centre: GeoPoint, northKm: number, eastKm: number): GeoPoint {
  const lat = centre.lat + northKm / KM_PER_DEG_LAT;
  const lng = centre.lng + eastKm / (KM_PER_DEG_LAT * Math.cos((centre.lat * Math.PI) / 180));
  return { lat: Number(lat.toFixed(6)), lng: Number(lng.toFixed(6)) };
}

function insideExtent(p: GeoPoint): boolean {
  return (
    p.lat >= COUNTY_EXTENT.latMin &&
    p.lat <= COUNTY_EXTENT.latMax &&
    p.lng >= COUNTY_EXTENT.lngMin &&
    p.lng <= COUNTY_EXTENT.lngMax
  );
}

/** A point between `minKm` and `maxKm` from `centre`, uniform over the ring, inside the county extent. */
function pointNear(rng: Random, centre: GeoPoint, minKm: number, maxKm: number): GeoPoint {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const r = Math.sqrt(rng.float(minKm * minKm, maxKm * maxKm));
    const theta = rng.float(0, 2 * Math.PI);
    const p = offsetKm(centre, r * Math.cos(theta), r * Math.sin(theta));
    if (insideExtent(p)) return p;
  }
  throw new Error('no point inside the county extent near ' + JSON.stringify(centre));
}

/** Builds the demo county. Throws if an invariant the statistics rely on cannot be met. */
export function generateDemoCounty(options: DemoOptions = {}): DemoCounty {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const month = options.month ?? DEFAULT_DEMO_MONTH;
  parseMonth(month);
  const asOf = lastDayOfMonth(month);
  const monthStart = `${month}-01`;
  const rng = new Random(`${seed}/${month}`);

  const residents: DemoResident[] = [];
  const stays: DemoStay[] = [];
  const assessments: DemoAssessment[] = [];
  const usedIds = new Set<string>();

  // ── people ────────────────────────────────────────────────────────────────────────────────────────────
  /** Birth date between the years given, as YYYY-MM-DD. */
  const birthDate = (fromYear: number, toYear: number): string => {
    const from = `${fromYear}-01-01`;
    const span = daysBetween(from, `${toYear}-12-31`);
    return addDays(from, rng.int(0, span));
  };
  const elderBirthDate = (): string => {
    // older residents are rarer: born 1926–1959 (aged 60–94 on 2020-12-31, and older in any later month)
    const year = 1959 - Math.floor(Math.abs(rng.float(0, 1) + rng.float(0, 1) - 1) * 34);
    return birthDate(year, year);
  };
  const idNumber = (birth: string, gender: Gender): string => {
    for (;;) {
      const seq = rng.int(0, 499) * 2 + (gender === 'male' ? 1 : 0);
      const id = buildIdNumber(COUNTY_CODE, birth, seq, gender);
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  const person = (
    key: string,
    t: DemoTownship,
    spec: {
      gender?: Gender;
      birth?: string;
      livingArrangement: 'home' | 'institution';
      categories: readonly ResidentCategory[];
      address: string;
      at: GeoPoint;
    },
  ): DemoResident => {
    const gender: Gender = spec.gender ?? (rng.chance(0.55) ? 'male' : 'female');
    const birth = spec.birth ?? elderBirthDate();
    const r: DemoResident = {
      key,
      name: personName(rng, gender),
      idNumber: idNumber(birth, gender),
      gender,
      birthDate: birth,
      regionCode: t.code,
      livingArrangement: spec.livingArrangement,
      categories: [...spec.categories],
      address: spec.address,
      lat: spec.at.lat,
      lng: spec.at.lng,
    };
    residents.push(r);
    return r;
  };

  const assess = (
    residentKey: string,
    level: AbilityLevel,
    when: 'valid' | 'expired',
    opts: { dementia?: boolean; profile?: ImpairmentProfile } = {},
  ): void => {
    // valid: 5–330 days before the last day of the month; expired: 13–24 months before it.
    const daysBefore = when === 'valid' ? rng.int(5, 330) : rng.int(396, 730);
    const date = addDays(asOf, -daysBefore);
    const assessedAt = countyTime(date, rng.int(9 * 4, 16 * 4) * 15);
    const g = assessmentForLevel(rng, level, new Date(assessedAt), opts);
    const a = rng.int(0, ASSESSORS.length - 1);
    const b = (a + rng.int(1, ASSESSORS.length - 1)) % ASSESSORS.length;
    assessments.push({
      residentKey,
      assessedAt,
      assessors: [ASSESSORS[a], ASSESSORS[b]],
      reason: rng.chance(0.6) ? 'periodic' : 'initial',
      items: { ...g.items },
      conditions: g.conditions,
      expected: {
        total: g.outcome.total,
        preliminaryLevel: g.outcome.preliminaryLevel,
        level: g.outcome.level,
        careGrade: g.outcome.careGrade,
        validUntil: g.outcome.validUntil.toISOString(),
      },
    });
  };

  // ── facilities, beds, institution residents and stays ─────────────────────────────────────────────────
  const operating = FACILITIES.filter((f) => f.status === 'operating');
  const beds: DemoBed[] = [];
  for (const f of operating) {
    const facilityBeds = bedsOf(f);
    const groups = INSTITUTION_RESIDENTS[f.key] ?? [];
    const t = township(f.regionCode);
    const open = facilityBeds.filter((b) => b.status !== 'closed');
    const freeNursing = rng.shuffle(open.filter((b) => b.type === 'nursing'));
    const freeOrdinary = rng.shuffle(open.filter((b) => b.type === 'ordinary'));
    const taken = new Set<string>();
    // Residents who need a nursing-type bed (level ≥ 2, the admission rule) are placed first.
    const people = groups.flatMap((g) => Array.from({ length: g.count }, () => g)).sort((a, b) => b.level - a.level);
    let n = 0;
    for (const g of people) {
      n += 1;
      const r = person(`${f.key}/r${String(n).padStart(3, '0')}`, t, {
        livingArrangement: 'institution',
        categories: g.categories,
        address: f.name,
        at: { lat: f.lat, lng: f.lng },
      });
      const needsNursing = g.level >= 2;
      let bed: DemoBed | undefined;
      if (needsNursing) bed = freeNursing.shift();
      if (!bed && needsNursing && !g.overrideReason) {
        throw new Error(`${f.key}: no nursing-type bed for a level-${g.level} resident and no override reason`);
      }
      bed = bed ?? freeOrdinary.shift() ?? freeNursing.shift();
      if (!bed) throw new Error(`${f.key}: more residents than beds in service`);
      taken.add(bed.key);
      const admitted = addDays(monthStart, -rng.int(20, 8 * 365));
      stays.push({
        residentKey: r.key,
        facilityKey: f.key,
        bedKey: bed.key,
        admittedAt: countyTime(admitted, rng.int(9 * 4, 16 * 4) * 15),
        ...(needsNursing && bed.type === 'ordinary' ? { overrideReason: g.overrideReason } : {}),
      });
      assess(r.key, g.level, 'valid', { dementia: g.dementia });
    }
    for (const b of facilityBeds) beds.push(taken.has(b.key) ? { ...b, status: 'occupied' } : b);
  }

  // ── service points and caregivers ─────────────────────────────────────────────────────────────────────
  const servicePoints: DemoServicePoint[] = [];
  const caregivers: DemoCaregiver[] = [];
  for (const t of TOWNSHIPS) {
    for (let k = 1; k <= t.servicePoints; k++) {
      // the first point at the township seat, the others around it; the remote corners stay without one
      const clear = (p: GeoPoint) => REMOTE_AREAS.every((a) => haversineKm(a.centre, p) > REMOTE_CLEARANCE_KM);
      let at = offsetKm(t, 0.2, 0.2);
      if (k > 1 || !clear(at)) {
        do at = pointNear(rng, t, 0.5, POINT_RADIUS_KM[t.kind]);
        while (!clear(at));
      }
      const sp: DemoServicePoint = {
        key: `sp-${t.code}-${String(k).padStart(2, '0')}`,
        name: `${t.name}第${k}服务网点`,
        regionCode: t.code,
        ...at,
      };
      servicePoints.push(sp);
      const gender: Gender = rng.chance(0.8) ? 'female' : 'male';
      caregivers.push({
        key: `cg-${t.code}-${String(k).padStart(2, '0')}`,
        name: personName(rng, gender),
        phone: mobileNumber(rng),
        gender,
        servicePointKey: sp.key,
        skills: rng.chance(0.15)
          ? ['housekeeping', 'personal_care', 'health', 'nursing']
          : ['housekeeping', 'personal_care', 'health'],
        shiftStart: SHIFT.start,
        shiftEnd: SHIFT.end,
        maxDailyVisits: 4,
        active: true,
      });
    }
  }
  const caregiverOf = new Map(caregivers.map((c) => [c.servicePointKey, c]));

  // ── eligible elders at home ───────────────────────────────────────────────────────────────────────────
  interface HomeElder {
    readonly resident: DemoResident;
    readonly point: DemoServicePoint | null;
    readonly level: AbilityLevel;
  }
  const eligible: HomeElder[] = [];
  let homeIndex = 0;
  const homeKey = (): string => `home/r${String(++homeIndex).padStart(4, '0')}`;
  const eligibleCategories = (): ResidentCategory[] => {
    const base: ResidentCategory[] = rng.chance(0.3) ? ['destitute'] : ['economic_hardship'];
    if (rng.chance(0.35)) base.push('living_alone');
    else if (rng.chance(0.3)) base.push('empty_nest');
    if (rng.chance(0.12)) base.push('left_behind');
    if (rng.chance(0.15)) base.push('disabled');
    if (base[0] === 'economic_hardship' && rng.chance(0.4)) base.push('low_income');
    return base;
  };
  for (const sp of servicePoints) {
    const t = township(sp.regionCode);
    for (let i = 0; i < DEMO_COUNTS.eligiblePerServicePoint; i++) {
      const at = pointNear(rng, sp, 0.2, HOME_RADIUS_KM[t.kind]);
      const r = person(homeKey(), t, {
        livingArrangement: 'home',
        categories: eligibleCategories(),
        address: villageAddress(rng, t.name),
        at,
      });
      eligible.push({ resident: r, point: sp, level: rng.weighted(HOME_LEVEL_WEIGHTS) as AbilityLevel });
    }
  }

  // Remote elders: some elders of the two remote corners live within 2 km of the corner, ≥ 12.5 km from every
  // service point (points keep 14.5 km away), so outside every 30-minute circle (11.5 km).
  let moved = 0;
  for (const area of REMOTE_AREAS) {
    const here = rng.shuffle(
      eligible.map((e, i) => i).filter((i) => eligible[i].resident.regionCode === area.township),
    );
    for (const i of here.slice(0, area.elders)) {
      const e = eligible[i];
      const spot = pointNear(rng, area.centre, 0, 2);
      const resident: DemoResident = { ...e.resident, lat: spot.lat, lng: spot.lng };
      residents[residents.indexOf(e.resident)] = resident;
      eligible[i] = { resident, point: null, level: e.level };
      moved += 1;
    }
  }
  if (moved !== DEMO_COUNTS.remoteEligible) throw new Error(`only ${moved} remote elders could be placed`);

  // Assessments of eligible elders: most valid, some expired, some never assessed.
  const order = rng.shuffle(eligible.map((_, i) => i));
  const expired = new Set(order.slice(0, DEMO_COUNTS.expiredAssessments));
  const never = new Set(
    order.slice(DEMO_COUNTS.expiredAssessments, DEMO_COUNTS.expiredAssessments + DEMO_COUNTS.neverAssessed),
  );
  eligible.forEach((e, i) => {
    if (never.has(i)) return;
    assess(e.resident.key, e.level, expired.has(i) ? 'expired' : 'valid', {
      dementia: e.level >= 2 && rng.chance(0.05),
    });
  });

  // Not eligible: at home but neither destitute nor economically disadvantaged; and a few under 60.
  for (let i = 0; i < DEMO_COUNTS.nonEligibleAtHome; i++) {
    const sp = rng.pick(servicePoints);
    const t = township(sp.regionCode);
    const r = person(homeKey(), t, {
      livingArrangement: 'home',
      categories: rng.pick<ResidentCategory[]>([
        ['low_income'],
        ['empty_nest'],
        ['low_income', 'living_alone'],
        ['left_behind'],
        ['disabled'],
      ]),
      address: villageAddress(rng, t.name),
      at: pointNear(rng, sp, 0.2, HOME_RADIUS_KM[t.kind]),
    });
    if (rng.chance(0.5)) assess(r.key, rng.weighted(HOME_LEVEL_WEIGHTS) as AbilityLevel, 'valid');
  }
  for (let i = 0; i < DEMO_COUNTS.under60AtHome; i++) {
    const sp = rng.pick(servicePoints);
    const t = township(sp.regionCode);
    const year = rng.int(1968, 1975);
    person(homeKey(), t, {
      livingArrangement: 'home',
      categories: ['destitute', 'disabled'],
      birth: birthDate(year, year),
      address: villageAddress(rng, t.name),
      at: pointNear(rng, sp, 0.2, HOME_RADIUS_KM[t.kind]),
    });
  }

  // ── a month of visits ─────────────────────────────────────────────────────────────────────────────────
  const visits = planVisits(rng, month, eligible, caregiverOf);
  // other months draw from random streams of their own: the main month's data never depends on them
  const otherMonths: DemoMonthVisits[] = [];
  for (let n = options.historyMonths ?? 0; n >= 1; n--) {
    const m = shiftMonth(month, -n);
    otherMonths.push({
      month: m,
      partial: false,
      visits: planVisits(new Random(`${seed}/${month}/visits/${m}`), m, eligible, caregiverOf),
    });
  }
  if (options.today !== undefined && options.today.slice(0, 7) === shiftMonth(month, 1)) {
    const m = options.today.slice(0, 7);
    const rngToday = new Random(`${seed}/${month}/visits/${m}`);
    otherMonths.push({
      month: m,
      partial: true,
      visits: planVisits(rngToday, m, eligible, caregiverOf, options.today),
    });
  }

  const staff: DemoStaffMember[] = [
    {
      key: 'staff/social-worker-1',
      facilityKey: WELFARE_INSTITUTE_KEY,
      name: personName(rng, 'female'),
      role: 'social_worker',
    },
  ];

  return {
    seed,
    month,
    asOf,
    townships: TOWNSHIPS,
    facilities: FACILITIES,
    beds,
    residents,
    stays,
    assessments,
    servicePoints,
    caregivers,
    visits,
    staff,
    otherMonths,
  };
}

/** Every bed of a facility's rooms, vacant or (in a closed room) closed. */
export function bedsOf(f: DemoFacility): DemoBed[] {
  const out: DemoBed[] = [];
  for (const room of f.rooms) {
    for (let i = 1; i <= room.beds; i++) {
      const label = String(i);
      out.push({
        key: `${f.key}/${room.room}/${label}`,
        facilityKey: f.key,
        building: room.building,
        floor: room.floor,
        room: room.room,
        label,
        type: room.type,
        status: room.closed ? 'closed' : 'vacant',
      });
    }
  }
  return out;
}

/**
 * Three visits for each eligible elder, one in each third of the month; health and safety check plus one of
 * cleaning, hygiene, laundry in rotation. An elder with a service point gets that point's caregiver; the j-th
 * elder of a caregiver is visited on day j of each third (one visit a day, 09:00–10:30 at the latest start),
 * which keeps every hard rule of dispatch: inside the window and the 08:00–18:00 shift, no overlap, travel from
 * and back to the point fits. Elders outside every circle get unassigned orders; a fixed number of the others
 * had one visit cancelled.
 *
 * With `today` (a day of the month): only what lies before it, and today's own visits. In today's third, a
 * caregiver's first two elders are visited today (assigned, 09:00–10:30 and 14:00–15:30 starts), the others one per
 * day before today while the third allows; what would fall later (and later thirds) is left to the visit plan.
 */
function planVisits(
  rng: Random,
  month: string,
  eligible: readonly { resident: DemoResident; point: DemoServicePoint | null }[],
  caregiverOf: ReadonlyMap<string, DemoCaregiver>,
  today?: string,
): DemoVisit[] {
  const visits: DemoVisit[] = [];
  const served = eligible.map((e, i) => i).filter((i) => eligible[i].point !== null);
  const cancelled = new Set(rng.shuffle(served).slice(0, DEMO_COUNTS.shortOfVisits));
  const perCaregiver = new Map<string, number>();
  eligible.forEach((e, i) => {
    const caregiver = e.point ? caregiverOf.get(e.point.key) : undefined;
    const j = caregiver ? (perCaregiver.get(caregiver.key) ?? 0) : 0;
    if (caregiver) perCaregiver.set(caregiver.key, j + 1);
    const cancelledThird = cancelled.has(i) ? rng.int(0, 2) : -1;
    for (const third of [0, 1, 2] as const) {
      const span = monthThird(month, (third + 1) as MonthThird);
      if (today !== undefined && span.first > today) continue;
      const current = today !== undefined && span.last >= today;
      const services: ServiceCode[] = ['health_check', 'safety_check', ROTATION[(i + third) % 3]];
      const base = {
        key: `visit/${e.resident.key}/${third}`,
        residentKey: e.resident.key,
        third,
        services,
        windowStart: countyTime(span.first, VISIT_WINDOW.start),
        windowEnd: countyTime(span.last, VISIT_WINDOW.end),
      };
      if (!e.point || !caregiver) {
        if (!current) visits.push({ ...base, status: 'unassigned', unassignedReason: 'OUT_OF_SERVICE_CIRCLE' });
        continue;
      }
      if (j >= span.days) throw new Error(`caregiver ${caregiver.key} has more elders than days in a third`);
      const duration = orderDurationMinutes({ services });
      if (current && today !== undefined) {
        // today's third: the first two elders today, the others on the days before it (within the third)
        const day = j < 2 ? today : addDays(today, 1 - j);
        if (day < span.first) continue;
        const travel = travelMinutes(e.point, e.resident, township(e.resident.regionCode).kind);
        const start = (j === 1 ? 14 * 60 : VISIT_WINDOW.start) + rng.int(0, 6) * 15;
        const planned = {
          caregiverKey: caregiver.key,
          plannedStart: countyTime(day, start),
          plannedEnd: countyTime(day, start + duration),
          travelMinutes: travel,
        };
        if (day === today) {
          visits.push({ ...base, windowStart: countyTime(today, VISIT_WINDOW.start), ...planned, status: 'assigned' });
          continue;
        }
        const late = rng.int(0, 10);
        visits.push({
          ...base,
          ...planned,
          status: 'completed',
          checkInAt: countyTime(day, start + late),
          checkOutAt: countyTime(day, start + late + duration + rng.int(-5, 10)),
          vitals: vitalsOf(rng),
        });
        continue;
      }
      const day = addDays(span.first, j);
      const start = VISIT_WINDOW.start + rng.int(0, 6) * 15;
      const travel = travelMinutes(e.point, e.resident, township(e.resident.regionCode).kind);
      const planned = {
        caregiverKey: caregiver.key,
        plannedStart: countyTime(day, start),
        plannedEnd: countyTime(day, start + duration),
        travelMinutes: travel,
      };
      if (third === cancelledThird) {
        visits.push({ ...base, ...planned, status: 'cancelled', cancelReason: '老人住院，本次暂停' });
        continue;
      }
      const late = rng.int(0, 10);
      visits.push({
        ...base,
        ...planned,
        status: 'completed',
        checkInAt: countyTime(day, start + late),
        checkOutAt: countyTime(day, start + late + duration + rng.int(-5, 10)),
        vitals: vitalsOf(rng),
      });
    }
  });
  return visits;
}

function vitalsOf(rng: Random): DemoVisit['vitals'] {
  return {
    systolic: rng.int(110, 165),
    diastolic: rng.int(65, 100),
    heartRate: rng.int(60, 95),
    temperature: Number(rng.float(36.1, 37.2).toFixed(1)),
  };
}
