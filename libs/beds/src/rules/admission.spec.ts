import { admissionProblem, isReservationActive, type AdmissionBed } from './admission';
import { planBedStatusChange } from './bed-status';

const NOW = new Date('2026-12-01T01:00:00Z');
const bed = (over: Partial<AdmissionBed> = {}): AdmissionBed => ({
  id: 'b1',
  status: 'vacant',
  gender: null,
  reservedForResidentId: null,
  reservedUntil: null,
  ...over,
});
const resident = { id: 'r1', gender: 'female' as const };

describe('admission rules', () => {
  it('admits a resident into a vacant bed', () => {
    expect(admissionProblem({ bed: bed(), resident, activeStays: [], now: NOW })).toBeNull();
  });

  it('refuses beds under maintenance or closed: BED_UNAVAILABLE', () => {
    expect(admissionProblem({ bed: bed({ status: 'maintenance' }), resident, activeStays: [], now: NOW })?.code).toBe(
      'BED_UNAVAILABLE',
    );
    expect(admissionProblem({ bed: bed({ status: 'closed' }), resident, activeStays: [], now: NOW })?.code).toBe(
      'BED_UNAVAILABLE',
    );
  });

  it('refuses a bed with an active stay: BED_OCCUPIED (also when only the stays say so)', () => {
    const stay = { stayId: 's9', bedId: 'b1', residentId: 'r9' };
    expect(admissionProblem({ bed: bed({ status: 'occupied' }), resident, activeStays: [], now: NOW })).toMatchObject({
      status: 409,
      code: 'BED_OCCUPIED',
    });
    expect(admissionProblem({ bed: bed(), resident, activeStays: [stay], now: NOW })?.code).toBe('BED_OCCUPIED');
  });

  it('refuses a bed reserved for someone else until the reservation expires', () => {
    const reserved = bed({
      status: 'reserved',
      reservedForResidentId: 'r2',
      reservedUntil: new Date('2026-12-02T00:00:00Z'),
    });
    expect(admissionProblem({ bed: reserved, resident, activeStays: [], now: NOW })?.code).toBe('BED_OCCUPIED');
    expect(
      admissionProblem({ bed: { ...reserved, reservedForResidentId: 'r1' }, resident, activeStays: [], now: NOW }),
    ).toBeNull();
    expect(
      admissionProblem({ bed: reserved, resident, activeStays: [], now: new Date('2026-12-03T00:00:00Z') }),
    ).toBeNull();
    expect(isReservationActive({ status: 'reserved', reservedUntil: null }, NOW)).toBe(true);
    expect(isReservationActive({ status: 'vacant', reservedUntil: null }, NOW)).toBe(false);
  });

  it('refuses a resident with an active stay anywhere: RESIDENT_ALREADY_ADMITTED', () => {
    const own = { stayId: 's1', bedId: 'b7', residentId: 'r1' };
    expect(admissionProblem({ bed: bed(), resident, activeStays: [own], now: NOW })?.code).toBe(
      'RESIDENT_ALREADY_ADMITTED',
    );
  });

  it('checks the bed before the resident: an occupied bed wins', () => {
    const stays = [
      { stayId: 's9', bedId: 'b1', residentId: 'r9' },
      { stayId: 's1', bedId: 'b7', residentId: 'r1' },
    ];
    expect(admissionProblem({ bed: bed(), resident, activeStays: stays, now: NOW })?.code).toBe('BED_OCCUPIED');
  });

  it('refuses a bed for the other gender: 422 GENDER_MISMATCH', () => {
    expect(admissionProblem({ bed: bed({ gender: 'male' }), resident, activeStays: [], now: NOW })).toMatchObject({
      status: 422,
      code: 'GENDER_MISMATCH',
    });
    expect(admissionProblem({ bed: bed({ gender: 'female' }), resident, activeStays: [], now: NOW })).toBeNull();
  });

  it('on a transfer, the moving stay is not a conflict', () => {
    const own = { stayId: 's1', bedId: 'b0', residentId: 'r1' };
    expect(admissionProblem({ bed: bed(), resident, activeStays: [own], now: NOW, movingStayId: 's1' })).toBeNull();
  });
});

describe('bed status changes', () => {
  it('refuses any change on an occupied bed', () => {
    for (const target of ['vacant', 'maintenance', 'closed'] as const) {
      expect(planBedStatusChange({ status: 'occupied', reservedUntil: null }, target, true, NOW)).toMatchObject({
        ok: false,
        code: 'BED_OCCUPIED',
      });
    }
    expect(planBedStatusChange({ status: 'vacant', reservedUntil: null }, 'closed', true, NOW).ok).toBe(false);
  });

  it('releases a reservation by setting vacant, refuses taking a reserved bed out of service', () => {
    const reserved = { status: 'reserved' as const, reservedUntil: new Date('2026-12-02T00:00:00Z') };
    expect(planBedStatusChange(reserved, 'vacant', false, NOW)).toEqual({
      ok: true,
      status: 'vacant',
      clearReservation: true,
      returnsToService: false,
    });
    expect(planBedStatusChange(reserved, 'maintenance', false, NOW)).toMatchObject({ ok: false, code: 'BED_OCCUPIED' });
    expect(planBedStatusChange(reserved, 'closed', false, new Date('2026-12-03T00:00:00Z'))).toMatchObject({
      ok: true,
      clearReservation: true,
    });
  });

  it('moves freely among vacant, maintenance and closed; leaving closed returns the bed to service', () => {
    expect(planBedStatusChange({ status: 'vacant', reservedUntil: null }, 'maintenance', false, NOW)).toMatchObject({
      ok: true,
      returnsToService: false,
    });
    expect(planBedStatusChange({ status: 'closed', reservedUntil: null }, 'vacant', false, NOW)).toMatchObject({
      ok: true,
      returnsToService: true,
    });
    expect(planBedStatusChange({ status: 'closed', reservedUntil: null }, 'closed', false, NOW)).toMatchObject({
      ok: true,
      returnsToService: false,
    });
  });
});
