import { InvalidTransitionError } from '@care/core';
import { bedStatusStatement } from './beds.repository';
import { insertStayStatement, stayStatusStatement } from './stays.repository';
import { waitlistStatusStatement } from './waitlist/waitlist.repository';

const UNTIL = new Date('2026-03-03T00:00:00Z');
/** What every bed status write sets. */
const BED_SET = 'status = ?, reserved_for_resident_id = ?, reserved_until = ?';

describe('the status writers (one statement each, for the hot path and TypeORM alike)', () => {
  it('bedStatusStatement: the new status from the table, reservation set by reserve only, guarded by the status read', () => {
    // the caller locked the bed and read its status: the write must match it (the hot path fails before COMMIT otherwise)
    expect(bedStatusStatement({ bed: { id: 'b1', status: 'vacant' }, action: 'occupy' })).toEqual({
      sql: `UPDATE beds SET ${BED_SET} WHERE id = ? AND status = ?`,
      params: ['occupied', null, null, 'b1', 'vacant'],
      mustMatchOne: true,
    });
    expect(
      bedStatusStatement({
        bed: { id: 'b1', status: 'vacant' },
        action: 'reserve',
        reservation: { residentId: 'r1', until: UNTIL },
      }).params,
    ).toEqual(['reserved', 'r1', UNTIL, 'b1', 'vacant']);
    expect(() => bedStatusStatement({ bed: { id: 'b1', status: 'vacant' }, action: 'reserve' })).toThrow(
      /needs the reservation/,
    );
  });

  it('bedStatusStatement: a release of a bed not locked by the caller changes it only while reserved for that resident', () => {
    const statement = bedStatusStatement({
      bed: { id: 'b1', status: 'reserved' },
      action: 'release',
      onlyIfReservedFor: { residentId: 'r1', expiredBy: UNTIL },
    });
    expect(statement.sql).toBe(
      `UPDATE beds SET ${BED_SET} WHERE id = ? AND status = ? AND reserved_for_resident_id = ? AND reserved_until <= ?`,
    );
    expect(statement.params).toEqual(['vacant', null, null, 'b1', 'reserved', 'r1', UNTIL]);
    // changing nothing is a legitimate outcome here
    expect(statement.mustMatchOne).toBeUndefined();
  });

  it('bedStatusStatement refuses a move the table does not allow (409 INVALID_TRANSITION)', () => {
    expect(() => bedStatusStatement({ bed: { id: 'b1', status: 'occupied' }, action: 'close' })).toThrow(
      InvalidTransitionError,
    );
    expect(() => bedStatusStatement({ bed: { id: 'b1', status: 'vacant' }, action: 'vacate' })).toThrow(
      InvalidTransitionError,
    );
  });

  it('stays: created active; transfer keeps active and moves the bed; discharge records time and reason', () => {
    expect(
      insertStayStatement({
        id: 's1',
        residentId: 'r1',
        facilityId: 'f1',
        bedId: 'b1',
        admittedAt: UNTIL,
        overrideReason: null,
        createdBy: 'u1',
      }).params,
    ).toEqual(['s1', 'r1', 'f1', 'b1', 'active', UNTIL, null, 'u1']);
    expect(stayStatusStatement({ id: 's1', status: 'active' }, 'transfer', { bedId: 'b2' })).toEqual({
      sql: 'UPDATE stays SET status = ?, bed_id = ? WHERE id = ? AND status = ?',
      params: ['active', 'b2', 's1', 'active'],
      mustMatchOne: true,
    });
    expect(
      stayStatusStatement({ id: 's1', status: 'active' }, 'discharge', {
        dischargedAt: UNTIL,
        dischargeReason: 'returned_home',
      }),
    ).toEqual({
      sql: 'UPDATE stays SET status = ?, discharged_at = ?, discharge_reason = ? WHERE id = ? AND status = ?',
      params: ['discharged', UNTIL, 'returned_home', 's1', 'active'],
      mustMatchOne: true,
    });
    expect(() => stayStatusStatement({ id: 's1', status: 'discharged' }, 'transfer')).toThrow(InvalidTransitionError);
  });

  it('waitlist entries: the table decides, the patch columns follow, null clears', () => {
    expect(
      waitlistStatusStatement({ id: 'e1', status: 'offered' }, 'expire', {
        offeredBedId: null,
        offeredAt: null,
        offerExpiresAt: null,
      }),
    ).toEqual({
      sql: 'UPDATE waitlist_entries SET status = ?, offered_bed_id = ?, offered_at = ?, offer_expires_at = ? WHERE id = ? AND status = ?',
      params: ['waiting', null, null, null, 'e1', 'offered'],
    });
    expect(waitlistStatusStatement({ id: 'e1', status: 'waiting' }, 'admitted_elsewhere').params).toEqual([
      'cancelled',
      'e1',
      'waiting',
    ]);
    expect(() => waitlistStatusStatement({ id: 'e1', status: 'cancelled' }, 'cancel')).toThrow(
      'Waitlist entry in status "cancelled" does not allow "cancel"',
    );
  });
});
