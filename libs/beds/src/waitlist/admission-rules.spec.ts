import type { AppConfig } from '@care/core';
import type { AssessmentsService } from '@care/assessments';
import { AdmissionRules } from './admission-rules';

describe('AdmissionRules.afterPlacement', () => {
  const rules = new AdmissionRules({} as AppConfig, {} as AssessmentsService);
  const stay = { stayId: 's1', residentId: 'r1', facilityId: 'f1', bedId: 'b1', kind: 'admission' as const };
  const openEntries = [
    { id: 'w-here', facility_id: 'f1', status: 'offered', offered_bed_id: 'b1' },
    { id: 'w-there', facility_id: 'f2', status: 'offered', offered_bed_id: 'b9' },
  ];

  it('guards every waitlist entry write (it must match the entry read locked); a bed release stays conditional', () => {
    const statements = rules.afterPlacement(stay, [[], openEntries], new Date('2026-01-01T00:00:00Z'));
    const entryWrites = statements.filter((s) => s.sql.startsWith('UPDATE waitlist_entries'));
    const bedWrites = statements.filter((s) => s.sql.startsWith('UPDATE beds'));
    expect(entryWrites.map((s) => [s.params.at(-2), s.params.at(-1), s.mustMatchOne])).toEqual([
      ['w-here', 'offered', true],
      ['w-there', 'offered', true],
    ]);
    expect(bedWrites).toHaveLength(1);
    expect(bedWrites[0].mustMatchOne).toBeUndefined();
  });

  it('writes nothing when the resident has no open entry', () => {
    expect(rules.afterPlacement(stay, [[], []], new Date())).toEqual([]);
  });
});
