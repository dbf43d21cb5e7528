import { checkRoomCapacity, roomLimit } from './room-capacity';

describe('room capacity (JGJ 450-2018)', () => {
  it('allows 6 nursing-type beds, not 7', () => {
    expect(checkRoomCapacity('101', Array(5).fill('nursing'), ['nursing'])).toEqual({ ok: true });
    expect(checkRoomCapacity('101', Array(6).fill('nursing'), ['nursing'])).toMatchObject({
      ok: false,
      code: 'ROOM_FULL',
      limit: 6,
      count: 7,
    });
  });

  it('allows 4 ordinary beds, not 5', () => {
    expect(checkRoomCapacity('102', Array(3).fill('ordinary'), ['ordinary'])).toEqual({ ok: true });
    expect(checkRoomCapacity('102', Array(4).fill('ordinary'), ['ordinary'])).toMatchObject({
      ok: false,
      limit: 4,
      count: 5,
    });
  });

  it('limits a mixed room to 4', () => {
    expect(roomLimit(['nursing', 'ordinary'])).toBe(4);
    expect(checkRoomCapacity('103', ['nursing', 'nursing', 'nursing', 'nursing'], ['ordinary'])).toMatchObject({
      ok: false,
      limit: 4,
    });
    expect(checkRoomCapacity('103', ['nursing', 'nursing', 'nursing'], ['ordinary'])).toEqual({ ok: true });
  });

  it('checks several added beds at once (bulk)', () => {
    expect(checkRoomCapacity('104', [], Array(6).fill('nursing'))).toEqual({ ok: true });
    expect(checkRoomCapacity('104', [], Array(7).fill('nursing'))).toMatchObject({ ok: false });
    expect(roomLimit([])).toBe(6);
  });

  it('names the room in the message', () => {
    const result = checkRoomCapacity('A-201', Array(4).fill('ordinary'), ['ordinary']);
    expect(!result.ok && result.message).toMatch(/A-201/);
  });
});
