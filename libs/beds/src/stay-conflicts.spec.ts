import { ConflictError } from '@care/core';
import { mapStayConflict } from './stay-conflicts';

const duplicate = (key: string) => ({
  driverError: { code: 'ER_DUP_ENTRY', sqlMessage: `Duplicate entry 'x-1' for key '${key}'` },
});

describe('stay conflicts from the unique indexes', () => {
  it('maps the active-bed index to BED_OCCUPIED and the active-resident index to RESIDENT_ALREADY_ADMITTED', () => {
    const bed = mapStayConflict(duplicate('uq_stays_active_bed'));
    expect(bed).toBeInstanceOf(ConflictError);
    expect(bed).toMatchObject({ code: 'BED_OCCUPIED', status: 409 });
    expect(mapStayConflict(duplicate('stays.uq_stays_active_resident'))).toMatchObject({
      code: 'RESIDENT_ALREADY_ADMITTED',
      status: 409,
    });
  });

  it('leaves other errors alone', () => {
    const other = duplicate('PRIMARY');
    expect(mapStayConflict(other)).toBe(other);
    const plain = new Error('boom');
    expect(mapStayConflict(plain)).toBe(plain);
  });
});
