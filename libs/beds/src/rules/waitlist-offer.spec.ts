import type { FitBed } from './bed-fit';
import { chooseOffer, type OfferCandidate } from './waitlist-offer';

const at = (d: string) => new Date(`${d}T09:00:00+08:00`);
function c(id: string, p: Partial<OfferCandidate> = {}): OfferCandidate {
  return {
    id,
    categories: [],
    level: 0,
    age: 70,
    appliedAt: at('2026-01-01'),
    gender: 'male',
    hasActiveStay: false,
    ...p,
  };
}
const ordinary: FitBed = { id: 'b1', type: 'ordinary', room: '101', label: '1' };
const nursingForWomen: FitBed = { id: 'b2', type: 'nursing', room: '102', label: '1', gender: 'female' };

describe('chooseOffer', () => {
  it('gives the bed to the best-placed entry when it fits', () => {
    const r = chooseOffer(ordinary, [c('general', { age: 90 }), c('fp', { categories: ['family_planning_special'] })]);
    expect(r.chosen?.entry.id).toBe('fp');
    expect(r.chosen?.tier).toBe(2);
    expect(r.skipped).toEqual([]);
    expect(r.fitReasons.map((x) => x.code)).toContain('ORDINARY_BED_PREFERRED');
  });

  it('passes over better-placed entries that do not fit, saying why', () => {
    const r = chooseOffer(ordinary, [
      c('destitute-l3', { categories: ['destitute'], level: 3 }), // tier 1, needs nursing
      c('admitted', { categories: ['special_contribution'], hasActiveStay: true }), // tier 2, already in a bed
      c('poor-alone', { categories: ['low_income', 'living_alone'], level: 1 }), // tier 3, fits
      c('general'),
    ]);
    expect(r.chosen?.entry.id).toBe('poor-alone');
    expect(r.skipped.map((s) => [s.entry.id, s.position, s.reasons.map((x) => x.code)])).toEqual([
      ['destitute-l3', 1, ['NURSING_BED_REQUIRED']],
      ['admitted', 2, ['RESIDENT_ALREADY_ADMITTED']],
    ]);
  });

  it('respects gender restrictions', () => {
    const r = chooseOffer(nursingForWomen, [c('m', { level: 4 }), c('f', { gender: 'female', level: 0 })]);
    expect(r.chosen?.entry.id).toBe('f');
    expect(r.skipped[0].reasons.map((x) => x.code)).toEqual(['GENDER_MISMATCH']);
  });

  it('returns no choice when nobody fits', () => {
    const r = chooseOffer(ordinary, [c('a', { level: 2 }), c('b', { level: 4 })]);
    expect(r.chosen).toBeNull();
    expect(r.skipped).toHaveLength(2);
  });

  it('uses the policy threshold', () => {
    expect(chooseOffer(ordinary, [c('a', { level: 2 })], { nursingBedFromLevel: 3 }).chosen?.entry.id).toBe('a');
  });

  it('handles an empty list', () => {
    expect(chooseOffer(ordinary, [])).toEqual({ chosen: null, fitReasons: [], skipped: [] });
  });
});
