import { idsInParams, residentIdsIn, residentIdsInBody } from './resident-ids';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';

describe('residentIdsIn', () => {
  it('finds residentId, reservedForResidentId and resident.id at any depth, once each', () => {
    const body = {
      items: [
        { id: 'stay-1', residentId: A, bed: { reservedForResidentId: B } },
        { id: 'entry-1', residentId: A, resident: { id: C, name: 'x' } },
      ],
      total: 2,
    };
    expect(residentIdsIn(body).sort()).toEqual([A, B, C].sort());
  });

  it("takes the objects' own id only when they are residents", () => {
    expect(residentIdsIn({ id: A, name: 'x' })).toEqual([]);
    expect(residentIdsIn({ id: A, name: 'x' }, { residents: true })).toEqual([A]);
    expect(residentIdsIn({ items: [{ id: A }, { id: B }], total: 2 }, { residents: true })).toEqual([A, B]);
    expect(residentIdsIn([{ id: A }], { residents: true })).toEqual([A]);
  });

  it('ignores empty and non-string values and survives scalars', () => {
    expect(residentIdsIn({ residentId: null, resident: null, items: [{ residentId: '' }] })).toEqual([]);
    expect(residentIdsIn('text')).toEqual([]);
    expect(residentIdsIn(undefined, { residents: true })).toEqual([]);
  });
});

describe('idsInParams and residentIdsInBody', () => {
  it('keeps only id-shaped path parameters, residentId apart', () => {
    expect(idsInParams({ id: A, residentId: B, code: 'abc', n: '42' })).toEqual({ ids: [A, '42'], residentIds: [B] });
  });

  it("takes a body's residentId and residentIds when they are UUIDs", () => {
    expect(residentIdsInBody({ residentId: A, residentIds: [B, 'nope'], name: 'x' })).toEqual([A, B]);
    expect(residentIdsInBody({ residentId: 'DROP TABLE' })).toEqual([]);
    expect(residentIdsInBody(null)).toEqual([]);
  });
});
