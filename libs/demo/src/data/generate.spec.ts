import { evaluateAssessment, validateConditions, validateItems } from '@care/assessments';
import { ageOn, isInServiceCircle, travelMinutes } from '@care/core';
import { hasSkills, orderDurationMinutes, requiredSkills } from '@care/dispatch';
import { computeIndicators, nextSteps } from '@care/stats';

import { asOfInstant, expectedCoverageCounts, isElder, isEligibleAtHome } from '../../test/support/expected';
import { BASELINE_2020, GANGOUYI_HOME_KEY, HEPAN_HOME_KEY, WELFARE_INSTITUTE_KEY } from './facilities';
import { DEMO_COUNTS, generateDemoCounty, shiftMonth } from './generate';
import { COUNTY_EXTENT, SEAT_CODE, TOWNSHIPS, township } from './townships';
import type { DemoCounty } from './types';

/** GB 11643 written out again, independently of the generator's helper. */
function idNumberIsValid(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const s = w.reduce((sum, weight, i) => sum + Number(id[i]) * weight, 0);
  return '10X98765432'[s % 11] === id[17];
}

describe('demo county', () => {
  let county: DemoCounty;
  beforeAll(() => {
    county = generateDemoCounty();
  });

  const bedsOf = (key: string) => county.beds.filter((b) => b.facilityKey === key && b.status !== 'closed');

  describe('2020 baseline (plan-figures.md)', () => {
    it('3 institutions in service: the welfare institute in 会师镇, Hepan in 河畔镇, a second home in 甘沟驿镇', () => {
      const operating = county.facilities.filter((f) => f.status === 'operating');
      expect(operating.map((f) => [f.key, f.type, f.regionCode, f.ownership, f.comprehensive])).toEqual([
        [WELFARE_INSTITUTE_KEY, 'welfare_institute', '620422100', 'public', true],
        [HEPAN_HOME_KEY, 'nursing_home', '620422102', 'public', false],
        [GANGOUYI_HOME_KEY, 'nursing_home', '620422105', 'public', false],
      ]);
      expect(operating.find((f) => f.key === WELFARE_INSTITUTE_KEY)?.name).toBe('会宁县社会福利院');
      expect(operating.find((f) => f.key === HEPAN_HOME_KEY)?.name).toBe('会宁县河畔中心敬老院');
    });

    it('142 beds in service, 67 nursing-type, all at the welfare institute (81 beds); 61 ordinary at the homes', () => {
      const inService = county.beds.filter((b) => b.status !== 'closed');
      expect(inService).toHaveLength(BASELINE_2020.beds);
      expect(inService.filter((b) => b.type === 'nursing')).toHaveLength(67);
      expect(bedsOf(WELFARE_INSTITUTE_KEY)).toHaveLength(81);
      expect(bedsOf(WELFARE_INSTITUTE_KEY).filter((b) => b.type === 'nursing')).toHaveLength(67);
      expect(bedsOf(HEPAN_HOME_KEY)).toHaveLength(22);
      expect(bedsOf(GANGOUYI_HOME_KEY)).toHaveLength(39);
      expect([...bedsOf(HEPAN_HOME_KEY), ...bedsOf(GANGOUYI_HOME_KEY)].every((b) => b.type === 'ordinary')).toBe(true);
    });

    it('closed beds exist but are not among the 142', () => {
      const closed = county.beds.filter((b) => b.status === 'closed');
      expect(closed).toHaveLength(2);
      expect(closed.every((b) => b.facilityKey === GANGOUYI_HOME_KEY)).toBe(true);
    });

    it('rooms respect JGJ 450: at most 6 nursing-type or 4 ordinary beds; labels unique per room', () => {
      for (const f of county.facilities) {
        for (const r of f.rooms) expect(r.beds).toBeLessThanOrEqual(r.type === 'nursing' ? 6 : 4);
      }
      expect(new Set(county.beds.map((b) => b.key)).size).toBe(county.beds.length);
    });

    it('118 residents in beds: utilisation 118/142 = 0.831; nursing share 67/142 = 0.4718, below 0.55', () => {
      expect(county.stays).toHaveLength(118);
      expect(county.beds.filter((b) => b.status === 'occupied')).toHaveLength(118);
      const indicators = computeIndicators(expectedCoverageCounts(county));
      const byKey = Object.fromEntries(indicators.map((i) => [i.key, i]));
      expect(byKey.bed_utilization).toMatchObject({ value: 0.831, numerator: 118, denominator: 142 });
      expect(byKey.nursing_bed_share).toMatchObject({ value: 0.4718, numerator: 67, denominator: 142, met: false });
      // at the welfare institute alone: 83 % as the plan says
      const wi = expectedCoverageCounts(county, '620422100');
      expect(Math.round((wi.nursingBeds / wi.bedsInService) * 100)).toBe(83);
    });

    it('a bed holds one stay, a resident has one stay, each on an in-service bed of its facility', () => {
      expect(new Set(county.stays.map((s) => s.bedKey)).size).toBe(118);
      expect(new Set(county.stays.map((s) => s.residentKey)).size).toBe(118);
      const bedByKey = new Map(county.beds.map((b) => [b.key, b]));
      for (const s of county.stays) {
        const bed = bedByKey.get(s.bedKey);
        expect(bed?.facilityKey).toBe(s.facilityKey);
        expect(bed?.status).toBe('occupied');
        expect(Date.parse(s.admittedAt)).toBeLessThan(Date.parse(`${county.month}-01T00:00:00+08:00`));
      }
    });

    it('70 destitute residents at the welfare institute: 16 full care, 47 half care, 7 self-care, from item scores', () => {
      const atInstitute = new Set(
        county.stays.filter((s) => s.facilityKey === WELFARE_INSTITUTE_KEY).map((s) => s.residentKey),
      );
      const destitute = county.residents.filter((r) => atInstitute.has(r.key) && r.categories.includes('destitute'));
      expect(destitute).toHaveLength(70);
      const grades = { self_care: 0, half_care: 0, full_care: 0 };
      for (const r of destitute) {
        const a = county.assessments.filter((x) => x.residentKey === r.key);
        expect(a).toHaveLength(1);
        // recomputed here with the assessment rules, not taken from the generator
        const items = validateItems(a[0].items);
        const conditions = validateConditions(a[0].conditions);
        if (!items.ok || !conditions.ok) throw new Error('demo assessment does not validate');
        const outcome = evaluateAssessment(items.value, conditions.value, new Date(a[0].assessedAt));
        grades[outcome.careGrade] += 1;
        if (outcome.careGrade === 'full_care') expect(outcome.level).toBeGreaterThanOrEqual(3);
        if (outcome.careGrade === 'half_care') expect([1, 2]).toContain(outcome.level);
        if (outcome.careGrade === 'self_care') expect(outcome.level).toBe(0);
      }
      expect(grades).toEqual({ full_care: 16, half_care: 47, self_care: 7 });
    });

    it('every assessment validates and its expected result is what the rules compute', () => {
      const problems: string[] = [];
      for (const a of county.assessments) {
        const items = validateItems(a.items);
        const conditions = validateConditions(a.conditions);
        if (!items.ok || !conditions.ok) {
          problems.push(`${a.residentKey}: does not validate`);
          continue;
        }
        const o = evaluateAssessment(items.value, conditions.value, new Date(a.assessedAt));
        const got = {
          total: o.total,
          preliminaryLevel: o.preliminaryLevel,
          level: o.level,
          careGrade: o.careGrade,
          validUntil: o.validUntil.toISOString(),
        };
        if (JSON.stringify(got) !== JSON.stringify(a.expected))
          problems.push(`${a.residentKey}: ${JSON.stringify(got)}`);
        if (a.assessors[0] === a.assessors[1]) problems.push(`${a.residentKey}: one assessor twice`);
      }
      expect(problems).toEqual([]);
      expect(county.assessments.length).toBeGreaterThan(1300);
    });

    it('a resident of level 2 or worse is in a nursing-type bed unless an override reason is recorded', () => {
      const level = new Map(county.assessments.map((a) => [a.residentKey, a.expected.level]));
      const bedByKey = new Map(county.beds.map((b) => [b.key, b]));
      const overrides = county.stays.filter(
        (s) => (level.get(s.residentKey) ?? 0) >= 2 && bedByKey.get(s.bedKey)?.type === 'ordinary',
      );
      expect(overrides).toHaveLength(2);
      for (const s of overrides) {
        expect(s.facilityKey).toBe(HEPAN_HOME_KEY);
        expect(s.overrideReason).toBeTruthy();
      }
      expect(county.stays.filter((s) => s.overrideReason)).toHaveLength(2);
    });

    it('315 service points and 315 active caregivers, in every one of the 28 townships', () => {
      expect(county.servicePoints).toHaveLength(315);
      expect(county.caregivers).toHaveLength(315);
      expect(county.caregivers.every((c) => c.active)).toBe(true);
      expect(new Set(county.caregivers.map((c) => c.servicePointKey)).size).toBe(315);
      expect(new Set(county.servicePoints.map((p) => p.regionCode)).size).toBe(28);
      for (const c of county.caregivers) {
        expect(c.skills).toEqual(expect.arrayContaining(['housekeeping', 'personal_care', 'health']));
        expect(c.phone).toMatch(/^1\d{10}$/);
      }
    });

    it("the plan's projects are planned facilities without beds, not comprehensive yet: 978 planned beds", () => {
      const planned = county.facilities.filter((f) => f.status === 'planned');
      expect(planned.map((f) => f.name)).toEqual([
        '会宁县养老服务中心',
        '会宁县中心敬老院',
        '郭城驿镇中心敬老院',
        '党家岘乡中心敬老院',
        '新塬镇中心敬老院',
      ]);
      expect(planned.every((f) => f.rooms.length === 0 && !f.comprehensive)).toBe(true);
      expect(county.beds.some((b) => planned.some((f) => f.key === b.facilityKey))).toBe(false);
      expect(county.facilities.reduce((s, f) => s + f.plannedBeds, 0)).toBe(978);
    });
  });

  describe('people', () => {
    it('every ID number passes GB 11643, is unique, starts 620422 and agrees with birth date and gender', () => {
      const ids = county.residents.map((r) => r.idNumber);
      expect(new Set(ids).size).toBe(ids.length);
      const wrong = county.residents.filter(
        (r) =>
          !idNumberIsValid(r.idNumber) ||
          !r.idNumber.startsWith('620422') ||
          r.idNumber.slice(6, 14) !== r.birthDate.replace(/-/g, '') ||
          (Number(r.idNumber[16]) % 2 === 1) !== (r.gender === 'male') ||
          new Date(`${r.birthDate}T00:00:00Z`).toISOString().slice(0, 10) !== r.birthDate, // a real date
      );
      expect(wrong).toEqual([]);
    });

    it('the known valid numbers of domain.md pass the test check, and a wrong check character fails', () => {
      for (const id of ['11010519491231002X', '620422194501010017', '620422193806150024'])
        expect(idNumberIsValid(id)).toBe(true);
      expect(idNumberIsValid('620422194501010018')).toBe(false);
    });

    it('elders are born before 1966 and 60 or older on the last day of the month; only the 5 under-60s are not', () => {
      const young = county.residents.filter((r) => !isElder(r, county.asOf));
      expect(young).toHaveLength(DEMO_COUNTS.under60AtHome);
      const elders = county.residents.filter((x) => isElder(x, county.asOf));
      expect(elders.filter((r) => !(r.birthDate < '1966-01-01') || ageOn(r.birthDate, county.asOf) < 60)).toEqual([]);
      expect(elders).toHaveLength(county.residents.length - DEMO_COUNTS.under60AtHome);
    });

    it('1,260 eligible elders at home (4 per service point), destitute or economically disadvantaged', () => {
      const eligible = county.residents.filter((r) => isEligibleAtHome(r, county.asOf));
      expect(eligible).toHaveLength(1260);
      const notEligibleAtHome = county.residents.filter(
        (r) => r.livingArrangement === 'home' && !isEligibleAtHome(r, county.asOf),
      );
      expect(notEligibleAtHome).toHaveLength(DEMO_COUNTS.nonEligibleAtHome + DEMO_COUNTS.under60AtHome);
    });

    it('positions lie inside the county extent; only the seat keeps published coordinates', () => {
      const inside = (p: { lat: number; lng: number }) =>
        p.lat >= COUNTY_EXTENT.latMin &&
        p.lat <= COUNTY_EXTENT.latMax &&
        p.lng >= COUNTY_EXTENT.lngMin &&
        p.lng <= COUNTY_EXTENT.lngMax;
      expect(
        [...TOWNSHIPS, ...county.servicePoints, ...county.residents, ...county.facilities].filter((p) => !inside(p)),
      ).toEqual([]);
      expect(TOWNSHIPS.filter((t) => !t.coordinatesGenerated).map((t) => t.code)).toEqual([SEAT_CODE]);
      expect(county.facilities.every((f) => f.coordinatesGenerated)).toBe(true);
      expect(TOWNSHIPS.reduce((s, t) => s + t.servicePoints, 0)).toBe(315);
      expect(TOWNSHIPS.filter((t) => t.kind === 'urban').map((t) => t.code)).toEqual([SEAT_CODE]);
    });
  });

  describe('a month of visits', () => {
    const eligibleKeys = () =>
      new Set(county.residents.filter((r) => isEligibleAtHome(r, county.asOf)).map((r) => r.key));

    it('three orders per eligible elder, one in each third of the month, none for anyone else', () => {
      const keys = eligibleKeys();
      expect(county.visits).toHaveLength(3 * 1260);
      const perResident = new Map<string, number[]>();
      for (const v of county.visits)
        perResident.set(v.residentKey, [...(perResident.get(v.residentKey) ?? []), v.third]);
      expect([...perResident.keys()].filter((k) => !keys.has(k))).toEqual([]);
      expect(perResident.size).toBe(1260);
      expect([...perResident.values()].filter((t) => t.sort().join() !== '0,1,2')).toEqual([]);
    });

    it('each visit: health and safety check plus one of cleaning, hygiene, laundry', () => {
      const odd = county.visits.filter(
        (v) =>
          v.services.length !== 3 ||
          v.services[0] !== 'health_check' ||
          v.services[1] !== 'safety_check' ||
          !['home_cleaning', 'personal_hygiene', 'laundry'].includes(v.services[2]),
      );
      expect(odd).toEqual([]);
    });

    it('assigned visits keep the hard rules: skills, service circle, window, shift, no overlap, travel fits', () => {
      const caregiver = new Map(county.caregivers.map((c) => [c.key, c]));
      const point = new Map(county.servicePoints.map((p) => [p.key, p]));
      const resident = new Map(county.residents.map((r) => [r.key, r]));
      const day = new Map<string, number>();
      const broken: string[] = [];
      const check = (ok: boolean, rule: string, v: { key: string }) => {
        if (!ok) broken.push(`${v.key}: ${rule}`);
      };
      for (const v of county.visits.filter((x) => x.caregiverKey)) {
        const c = caregiver.get(v.caregiverKey ?? '');
        const p = point.get(c?.servicePointKey ?? '');
        const r = resident.get(v.residentKey);
        if (!c || !p || !r || !v.plannedStart || !v.plannedEnd) throw new Error('incomplete visit');
        const kind = township(r.regionCode).kind;
        check(c.active && hasSkills(c.skills, requiredSkills({ services: v.services })), 'skills', v);
        check(isInServiceCircle(p, r, kind), 'service circle', v);
        check(v.travelMinutes === travelMinutes(p, r, kind), 'travel minutes', v);
        const start = Date.parse(v.plannedStart);
        const end = Date.parse(v.plannedEnd);
        check(end - start === orderDurationMinutes({ services: v.services }) * 60_000, 'duration', v);
        check(start >= Date.parse(v.windowStart) && end <= Date.parse(v.windowEnd), 'window', v);
        const date = v.plannedStart.slice(0, 10);
        const travel = (v.travelMinutes ?? 0) * 60_000;
        check(Date.parse(`${date}T${c.shiftStart}:00+08:00`) + travel <= start, 'shift start + travel', v);
        check(end + travel <= Date.parse(`${date}T${c.shiftEnd}:00+08:00`), 'travel back before shift end', v);
        const slot = `${c.key}/${date}`;
        day.set(slot, (day.get(slot) ?? 0) + 1);
      }
      expect(broken).toEqual([]);
      // one visit a caregiver a day (≤ maxDailyVisits 4): nothing can overlap
      expect(Math.max(...day.values())).toBe(1);
    });

    it(`${DEMO_COUNTS.remoteEligible} elders outside every circle stay unassigned; ${DEMO_COUNTS.shortOfVisits} had one visit cancelled`, () => {
      const unassigned = county.visits.filter((v) => v.status === 'unassigned');
      expect(unassigned).toHaveLength(3 * DEMO_COUNTS.remoteEligible);
      expect(unassigned.every((v) => v.unassignedReason === 'OUT_OF_SERVICE_CIRCLE')).toBe(true);
      const resident = new Map(county.residents.map((r) => [r.key, r]));
      const reachable = unassigned.filter((v) => {
        const r = resident.get(v.residentKey);
        if (!r) throw new Error('unknown resident');
        return county.servicePoints.some((p) => isInServiceCircle(p, r, township(r.regionCode).kind));
      });
      expect(reachable).toEqual([]);
      expect(county.visits.filter((v) => v.status === 'cancelled')).toHaveLength(DEMO_COUNTS.shortOfVisits);
      const completed = county.visits.filter((v) => v.status === 'completed');
      expect(completed).toHaveLength(3 * 1260 - 3 * DEMO_COUNTS.remoteEligible - DEMO_COUNTS.shortOfVisits);
      expect(
        completed.filter((v) => !v.checkInAt || !v.checkOutAt || !v.vitals || v.checkInAt.slice(0, 7) !== county.month),
      ).toEqual([]);
    });
  });

  describe('the first look at the statistics', () => {
    it('county indicators', () => {
      const counts = expectedCoverageCounts(county);
      expect(counts).toEqual({
        bedsInService: 142,
        nursingBeds: 67,
        occupiedBeds: 118,
        townships: 28,
        townshipsWithComprehensive: 1,
        eligibleElders: 1260,
        eligibleWithThreeVisits: 1260 - DEMO_COUNTS.remoteEligible - DEMO_COUNTS.shortOfVisits, // 1212
        eligibleInsideServiceCircle: 1260 - DEMO_COUNTS.remoteEligible, // 1242
        assessableElders: 118 + 1260,
        eldersWithValidAssessment: 118 + 1260 - DEMO_COUNTS.expiredAssessments - DEMO_COUNTS.neverAssessed, // 1252
        eldersWithExpiredAssessment: DEMO_COUNTS.expiredAssessments,
        socialWorkers: 1,
      });
      expect(computeIndicators(counts).map((i) => [i.key, i.value, i.met])).toEqual([
        ['nursing_bed_share', 0.4718, false],
        ['bed_utilization', 0.831, null],
        ['township_comprehensive_coverage', 0.0357, false],
        ['doorstep_visit_coverage', 0.9619, false],
        ['service_circle_coverage', 0.9857, false],
        ['assessment_coverage', 0.9086, false],
        ['social_workers_per_100_beds', 0.7042, false],
      ]);
    });

    it("what the bureau must do next, county: convert 12 ordinary beds or add 25; 549 of the plan's 978 new beds nursing-type", () => {
      const steps = nextSteps(expectedCoverageCounts(county), { plannedBeds: 978 });
      expect(steps).toMatchObject({
        nursingBeds: { toConvert: 12, toAdd: 25, plannedMustBeNursing: 549 },
        townshipsWithoutComprehensive: 27,
        eligibleOutsideServiceCircle: DEMO_COUNTS.remoteEligible,
        eligibleShortOfVisits: DEMO_COUNTS.remoteEligible + DEMO_COUNTS.shortOfVisits,
        expiredAssessments: DEMO_COUNTS.expiredAssessments,
        neverAssessed: DEMO_COUNTS.neverAssessed,
      });
    });

    it('township counts add up to the county; townships without institutions report null bed indicators', () => {
      const all = TOWNSHIPS.map((t) => expectedCoverageCounts(county, t.code));
      const total = expectedCoverageCounts(county);
      for (const k of ['bedsInService', 'eligibleElders', 'eligibleWithThreeVisits', 'assessableElders'] as const) {
        expect(all.reduce((s, c) => s + c[k], 0)).toBe(total[k]);
      }
      const empty = computeIndicators(expectedCoverageCounts(county, '620422103'));
      expect(empty.find((i) => i.key === 'nursing_bed_share')).toMatchObject({ value: null, met: null });
    });

    it('assessment validity is judged at the end of the month', () => {
      expect(asOfInstant('2020-12-31').toISOString()).toBe('2020-12-31T15:59:59.999Z');
    });
  });

  describe('determinism', () => {
    it('same seed and month, same data; another month keeps every count', () => {
      expect(generateDemoCounty()).toEqual(county);
      const later = generateDemoCounty({ month: '2026-05' });
      expect(later.asOf).toBe('2026-05-31');
      expect(computeIndicators(expectedCoverageCounts(later)).map((i) => i.value)).toEqual(
        computeIndicators(expectedCoverageCounts(county)).map((i) => i.value),
      );
      expect(later.visits.every((v) => v.windowStart.startsWith('2026-05'))).toBe(true);
    });

    it.each(['2021-02', '2024-02', '2025-07'])('the invented counts hold for any month: %s', (month) => {
      const c = expectedCoverageCounts(generateDemoCounty({ month }));
      expect(c).toMatchObject({
        bedsInService: 142,
        occupiedBeds: 118,
        eligibleElders: 1260,
        eligibleInsideServiceCircle: 1260 - DEMO_COUNTS.remoteEligible,
        eligibleWithThreeVisits: 1260 - DEMO_COUNTS.remoteEligible - DEMO_COUNTS.shortOfVisits,
        eldersWithExpiredAssessment: DEMO_COUNTS.expiredAssessments,
      });
    });
  });

  describe('other months: the trend, and the demo’s own day', () => {
    const today = '2021-01-15';
    let wide: DemoCounty;
    beforeAll(() => {
      wide = generateDemoCounty({ historyMonths: 4, today });
    });
    const day = (iso: string) => iso.slice(0, 10);

    it('the main month is the same with or without other months', () => {
      expect({ ...wide, otherMonths: [] }).toEqual({ ...county, otherMonths: [] });
      expect(county.otherMonths).toEqual([]);
    });

    it('four whole months before the main month, three orders per eligible elder each, then the month of today', () => {
      expect(wide.otherMonths.map((m) => [m.month, m.partial])).toEqual([
        ['2020-08', false],
        ['2020-09', false],
        ['2020-10', false],
        ['2020-11', false],
        ['2021-01', true],
      ]);
      for (const m of wide.otherMonths.filter((x) => !x.partial)) {
        expect(m.visits).toHaveLength(county.visits.length);
        expect(m.visits.every((v) => v.windowStart.startsWith(m.month) && v.status !== 'assigned')).toBe(true);
        expect(
          expectedCoverageCounts({ ...wide, month: m.month, asOf: `${m.month}-28`, visits: m.visits })
            .eligibleWithThreeVisits,
        ).toBe(1260 - DEMO_COUNTS.remoteEligible - DEMO_COUNTS.shortOfVisits);
      }
    });

    it('the month of today: nothing after today; what lies before it is done; at most one visit per elder and third', () => {
      const current = wide.otherMonths[wide.otherMonths.length - 1];
      expect(current.visits.length).toBeGreaterThan(0);
      for (const v of current.visits) {
        expect(v.windowStart.startsWith('2021-01')).toBe(true);
        if (v.plannedStart) expect(day(v.plannedStart) <= today).toBe(true);
        if (v.plannedStart && day(v.plannedStart) < today) expect(['completed', 'cancelled']).toContain(v.status);
        if (v.status === 'assigned') expect(day(v.plannedStart ?? '')).toBe(today);
        if (v.status === 'completed') expect(day(v.checkOutAt ?? '') < today).toBe(true);
      }
      const keys = current.visits.map((v) => `${v.residentKey}/${v.third}`);
      expect(new Set(keys).size).toBe(keys.length);
      // the first third (days 1–10) lies wholly before the 15th; the last (21–31) wholly after it
      expect(current.visits.filter((v) => v.third === 0)).toHaveLength(
        county.visits.filter((v) => v.third === 0).length,
      );
      expect(current.visits.some((v) => v.third === 2)).toBe(false);
    });

    it('every caregiver with elders has two visits today, assigned, within its shift and apart', () => {
      const current = wide.otherMonths[wide.otherMonths.length - 1];
      const todays = current.visits.filter((v) => v.status === 'assigned');
      const served = new Set(county.visits.filter((v) => v.caregiverKey).map((v) => v.caregiverKey));
      const byCaregiver = new Map<string, typeof todays>();
      for (const v of todays)
        byCaregiver.set(v.caregiverKey ?? '', [...(byCaregiver.get(v.caregiverKey ?? '') ?? []), v]);
      expect(new Set(byCaregiver.keys())).toEqual(served);
      for (const visits of byCaregiver.values()) {
        expect(visits).toHaveLength(2);
        const [a, b] = [...visits].sort((x, y) => (x.plannedStart ?? '').localeCompare(y.plannedStart ?? ''));
        expect(Date.parse(a.plannedEnd ?? '') + (b.travelMinutes ?? 0) * 60_000).toBeLessThanOrEqual(
          Date.parse(b.plannedStart ?? ''),
        );
        expect(Date.parse(b.plannedEnd ?? '')).toBeLessThanOrEqual(Date.parse(`${today}T18:00:00+08:00`));
        expect(a.checkInAt).toBeUndefined();
      }
    });

    it('on the first day of a month: today’s visits only; a today outside the next month adds no partial month', () => {
      const first = generateDemoCounty({ today: '2021-01-01' }).otherMonths;
      expect(first).toHaveLength(1);
      expect(first[0].visits.every((v) => v.status === 'assigned' && day(v.plannedStart ?? '') === '2021-01-01')).toBe(
        true,
      );
      expect(generateDemoCounty({ today: '2021-03-01' }).otherMonths).toEqual([]);
      expect(shiftMonth('2020-12', 1)).toBe('2021-01');
      expect(shiftMonth('2021-01', -2)).toBe('2020-11');
    });
  });
});
