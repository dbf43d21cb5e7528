import type { ResidentFacts } from '../outbox';
import { statsPeriod } from './period';
import { addResident, factsCover, residentContribution } from './resident-contribution';
import { emptyTownshipCounts } from './township-tally';

describe("a resident's share of the coverage counts, from the facts its owner wrote", () => {
  const period = statsPeriod('2026-11', new Date('2026-11-15T02:00:00Z'));
  const day = (iso: string) => new Date(iso).getTime();
  const townships = new Set(['H', 'F']);
  const inside = () => true;
  const atHome: ResidentFacts = {
    region: 'H',
    birth: '1950-03-01',
    home: 1,
    eligible: 1,
    lat: 36.2,
    lng: 105.4,
    assessments: [[day('2026-01-10T00:00:00Z'), day('2027-01-10T00:00:00Z')]],
    visits: [day('2026-11-02T03:00:00Z'), day('2026-11-05T03:00:00Z'), day('2026-11-12T03:00:00Z')],
    stays: [],
    since: day('2026-09-30T16:00:00Z'),
  };

  it('an eligible elder at home: eligible, three visits, inside a circle, assessable with a valid assessment', () => {
    const share = residentContribution(atHome, period, townships, inside).get('H')?.counts;
    expect(share).toMatchObject({
      eligibleElders: 1,
      eligibleWithThreeVisits: 1,
      eligibleInsideServiceCircle: 1,
      assessableElders: 1,
      eldersWithValidAssessment: 1,
      occupiedBeds: 0,
    });
  });

  it('admitted: counted in the institution township (occupied, assessable), no longer at home', () => {
    const admitted: ResidentFacts = {
      ...atHome,
      home: 0,
      stays: [['F', day('2026-11-14T00:00:00Z'), null]],
    };
    const shares = residentContribution(admitted, period, townships, inside);
    expect(shares.has('H')).toBe(false);
    expect(shares.get('F')?.counts).toMatchObject({ occupiedBeds: 1, assessableElders: 1, eligibleElders: 0 });
    // after − before, applied to kept counts
    const kept = { ...emptyTownshipCounts(), eligibleElders: 5, assessableElders: 7, eldersWithValidAssessment: 4 };
    const home = addResident(kept, residentContribution(atHome, period, townships, inside).get('H')!.counts, -1);
    expect(home).toMatchObject({ eligibleElders: 4, assessableElders: 6, eldersWithValidAssessment: 3 });
  });

  it('a stay admitted after asOf counts later: its instant is when the counts change', () => {
    const later: ResidentFacts = { ...atHome, home: 0, stays: [['F', day('2026-11-20T00:00:00Z'), null]] };
    const f = residentContribution(later, period, townships, inside).get('F');
    expect(f?.counts.occupiedBeds).toBe(0);
    expect(f?.changesAt).toEqual(new Date('2026-11-20T00:00:00Z'));
  });

  it('a yes/no as MariaDB writes it in JSON: an EXISTS comes as "0" (not eligible)', () => {
    const notEligible: ResidentFacts = { ...atHome, eligible: '0' };
    expect(residentContribution(notEligible, period, townships, inside).has('H')).toBe(false);
  });

  it('facts reach back only so far: a month that began before them is not covered', () => {
    expect(factsCover(atHome, period)).toBe(true);
    expect(factsCover(atHome, statsPeriod('2026-09', new Date('2026-11-15T02:00:00Z')))).toBe(false);
  });
});
