/**
 * JGJ 450-2018 (老年人照料设施建筑设计标准) as a design rule for bed registration: a multi-bed room holds at most
 * 6 nursing-type beds or 4 ordinary ones (shared/spec/domain.md §2).
 *
 * The project's reading: a room whose beds in service are all nursing-type may hold 6; a room with any ordinary bed
 * holds at most 4 beds in all. Closed beds are out of service and do not count (a closed bed can be replaced);
 * re-opening one counts it again. A room is identified by its `room` name within the facility (as the bed's
 * unique key room + label is).
 *
 * Pure: no Nest, no TypeORM.
 */

export type RoomBedType = 'nursing' | 'ordinary';

export const ROOM_LIMITS: Readonly<Record<RoomBedType, number>> = Object.freeze({ nursing: 6, ordinary: 4 });

/** How many beds a room with these bed types may hold. */
export function roomLimit(types: readonly RoomBedType[]): number {
  return types.every((t) => t === 'nursing') ? ROOM_LIMITS.nursing : ROOM_LIMITS.ordinary;
}

export type RoomCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: 'ROOM_FULL';
      readonly limit: number;
      readonly count: number;
      readonly message: string;
    };

/**
 * Whether a room that holds `existing` beds in service may also hold `added` ones.
 * `room` only names the room in the message.
 */
export function checkRoomCapacity(
  room: string,
  existing: readonly RoomBedType[],
  added: readonly RoomBedType[],
): RoomCheck {
  const all = [...existing, ...added];
  const limit = roomLimit(all);
  if (all.length <= limit) return { ok: true };
  const kind = limit === ROOM_LIMITS.nursing ? 'nursing-type' : 'beds when any is ordinary';
  return {
    ok: false,
    code: 'ROOM_FULL',
    limit,
    count: all.length,
    message: `Room "${room}" would hold ${all.length} beds; JGJ 450-2018 allows at most ${limit} ${kind} (6 nursing-type or 4 ordinary)`,
  };
}
