/**
 * The statistics the demo county must produce, computed straight from the demo data with the definitions of
 * domain.md §6 — an oracle independent of the SQL, for the generator's tests and the seed's end-to-end test.
 */
import { ageOn, countyMidnight, DAY_MS, isInServiceCircle } from '@care/core';
import { countBeds, type CoverageCounts } from '@care/stats';

import { township } from '../../src/data/townships';
import type { DemoCounty, DemoResident } from '../../src/data/types';

export const ELDER_AGE = 60;

/** The instant the month's statistics look at: the end of its last day, county time. */
export function asOfInstant(asOf: string): Date {
  return new Date(countyMidnight(asOf) + DAY_MS - 1);
}

export function isElder(r: DemoResident, asOf: string): boolean {
  return ageOn(r.birthDate, asOf) >= ELDER_AGE;
}

export function isEligibleAtHome(r: DemoResident, asOf: string): boolean {
  return (
    r.livingArrangement === 'home' &&
    isElder(r, asOf) &&
    (r.categories.includes('destitute') || r.categories.includes('economic_hardship'))
  );
}

/** Coverage counts for the county, or for one township with `regionCode`. */
export function expectedCoverageCounts(county: DemoCounty, regionCode?: string): CoverageCounts {
  const inArea = (code: string): boolean => regionCode === undefined || code === regionCode;
  const facilities = county.facilities.filter((f) => f.status === 'operating' && inArea(f.regionCode));
  const facilityType = new Map(county.facilities.map((f) => [f.key, f.type]));
  const beds = countBeds(
    county.beds
      .filter((b) => facilities.some((f) => f.key === b.facilityKey))
      .map((b) => ({
        facilityType: facilityType.get(b.facilityKey) ?? 'community_station',
        type: b.type,
        status: b.status,
      })),
  );
  const townships = county.townships.filter((t) => inArea(t.code));
  const comprehensive = new Set(facilities.filter((f) => f.comprehensive).map((f) => f.regionCode));

  const at = asOfInstant(county.asOf);
  const eligible = county.residents.filter((r) => inArea(r.regionCode) && isEligibleAtHome(r, county.asOf));
  const activeCaregiverPoints = new Set(county.caregivers.filter((c) => c.active).map((c) => c.servicePointKey));
  const points = county.servicePoints.filter((p) => activeCaregiverPoints.has(p.key));
  const inside = eligible.filter((r) => points.some((p) => isInServiceCircle(p, r, township(r.regionCode).kind)));
  const completed = new Map<string, number>();
  for (const v of county.visits) {
    if (v.status === 'completed') completed.set(v.residentKey, (completed.get(v.residentKey) ?? 0) + 1);
  }
  const withThree = eligible.filter((r) => (completed.get(r.key) ?? 0) >= 3);

  const staying = new Set(county.stays.map((s) => s.residentKey));
  const inInstitutions = county.residents.filter(
    (r) => inArea(r.regionCode) && staying.has(r.key) && isElder(r, county.asOf),
  );
  const assessable = [...inInstitutions, ...eligible];
  const latest = new Map<string, { assessedAt: number; validUntil: number }>();
  for (const a of county.assessments) {
    const t = Date.parse(a.assessedAt);
    const prev = latest.get(a.residentKey);
    if (t <= at.getTime() && (!prev || t > prev.assessedAt)) {
      latest.set(a.residentKey, { assessedAt: t, validUntil: Date.parse(a.expected.validUntil) });
    }
  }
  const valid = assessable.filter((r) => {
    const l = latest.get(r.key);
    return l !== undefined && at.getTime() < l.validUntil;
  });
  const expired = assessable.filter((r) => {
    const l = latest.get(r.key);
    return l !== undefined && at.getTime() >= l.validUntil;
  });
  const socialWorkers = county.staff.filter(
    (s) => s.role === 'social_worker' && facilities.some((f) => f.key === s.facilityKey),
  ).length;

  return {
    ...beds,
    townships: townships.length,
    townshipsWithComprehensive: townships.filter((t) => comprehensive.has(t.code)).length,
    eligibleElders: eligible.length,
    eligibleWithThreeVisits: withThree.length,
    eligibleInsideServiceCircle: inside.length,
    assessableElders: assessable.length,
    eldersWithValidAssessment: valid.length,
    eldersWithExpiredAssessment: expired.length,
    socialWorkers,
  };
}
