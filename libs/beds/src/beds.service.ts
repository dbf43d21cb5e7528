import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import {
  AuthUser,
  ConflictError,
  NotFoundError,
  Page,
  TransactionRunner,
  UnprocessableError,
  assertFacilityAccess,
  duplicateKeyName,
  isDuplicateKeyError,
} from '@care/core';
import { bedCountDeltas, bedStatsChangeStatement, writeStatsChanges } from '@care/stats/outbox';
import { FacilitiesService } from '@care/facilities';
import { Bed, type BedStatus, type BedType } from './bed.entity';
import type { CreateBedDto, ListBedsQueryDto, UpdateBedDto } from './dto/bed.dto';
import { summarizeBeds, type BedCountRow, type BedSummary } from './rules/bed-summary';
import { BedsRepository } from './beds.repository';
import { planBedStatusChange } from './rules/bed-status';
import { SET_BED_STATUS_ACTION } from './rules/bed-transitions';
import { StaysRepository } from './stays.repository';
import { checkRoomCapacity } from './rules/room-capacity';

export { BED_COLUMNS, bedFromRow, type BedRow } from './beds.repository';

/** Rooms and labels compare as the database's collation does (case- and trailing-space-insensitive). */
const roomKey = (room: string) => room.trim().toLowerCase();

function labelTaken(room: string, label: string): ConflictError {
  return new ConflictError('BED_LABEL_TAKEN', `Room "${room}" already has a bed labelled "${label}"`);
}

@Injectable()
export class BedsService {
  constructor(
    @InjectRepository(Bed) private readonly beds: Repository<Bed>,
    private readonly tx: TransactionRunner,
    private readonly facilities: FacilitiesService,
    private readonly bedRows: BedsRepository,
    private readonly stays: StaysRepository,
  ) {}

  async create(user: AuthUser, facilityId: string, dto: CreateBedDto): Promise<Bed> {
    await this.facilities.assertAccessible(user, facilityId);
    const [bed] = await this.insertBeds(facilityId, [dto]);
    return bed;
  }

  /** All or nothing: one transaction, one multi-row insert. */
  async createMany(user: AuthUser, facilityId: string, dtos: CreateBedDto[]): Promise<number> {
    await this.facilities.assertAccessible(user, facilityId);
    return (await this.insertBeds(facilityId, dtos)).length;
  }

  async list(user: AuthUser, facilityId: string, query: ListBedsQueryDto): Promise<Page<Bed>> {
    await this.facilities.assertAccessible(user, facilityId);
    const qb = this.beds.createQueryBuilder('b').where('b.facilityId = :facilityId', { facilityId });
    if (query.status) qb.andWhere('b.status = :status', { status: query.status });
    if (query.type) qb.andWhere('b.type = :type', { type: query.type });
    const [items, total] = await qb
      .orderBy('b.building', 'ASC')
      .addOrderBy('b.floor', 'ASC')
      .addOrderBy('LENGTH(b.room)', 'ASC')
      .addOrderBy('b.room', 'ASC')
      .addOrderBy('LENGTH(b.label)', 'ASC')
      .addOrderBy('b.label', 'ASC')
      .addOrderBy('b.id', 'ASC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    return { items, total };
  }

  async get(user: AuthUser, bedId: string): Promise<Bed> {
    const bed = await this.beds.findOneBy({ id: bedId });
    if (!bed) throw new NotFoundError('Bed', bedId);
    assertFacilityAccess(user, bed.facilityId, 'Bed');
    return bed;
  }

  /**
   * Type and status changes. The bed row is locked; an active stay (or the bed's own status) decides whether the
   * status may change. A bed that returns to service or changes type counts again for the room capacity rule.
   */
  async update(user: AuthUser, bedId: string, dto: UpdateBedDto): Promise<Bed> {
    await this.get(user, bedId);
    return this.tx.run(async (em) => {
      const bed = await this.bedRows.lock(em, bedId);
      if (!bed) throw new NotFoundError('Bed', bedId);
      const changes: Partial<Pick<Bed, 'type' | 'status' | 'reservedForResidentId' | 'reservedUntil'>> = {};
      let returnsToService = false;
      if (dto.status !== undefined) {
        const plan = planBedStatusChange(bed, dto.status, await this.stays.hasActiveStayOnBed(em, bedId), new Date());
        if (!plan.ok) throw new ConflictError(plan.code, plan.message);
        changes.status = plan.status;
        returnsToService = plan.returnsToService;
        // every status write clears a reservation (bedStatusStatement); there is one only on a reserved bed
        changes.reservedForResidentId = null;
        changes.reservedUntil = null;
      }
      if (dto.type !== undefined && dto.type !== bed.type) changes.type = dto.type;
      const finalStatus: BedStatus = changes.status ?? bed.status;
      const finalType: BedType = changes.type ?? bed.type;
      if (finalStatus !== 'closed' && (returnsToService || changes.type !== undefined)) {
        // bed before facility: the same order as admissions (whose stay insert share-locks the facility row)
        await em.query('SELECT id FROM facilities WHERE id = ? FOR UPDATE', [bed.facilityId]);
        const room = new Map([[roomKey(bed.room), { room: bed.room, added: [finalType] }]]);
        await this.assertRoomRules(em, bed.facilityId, room, [], bed.id);
      }
      if (Object.keys(changes).length === 0) return bed;
      if (dto.status !== undefined)
        await this.bedRows.setStatus(em, { bed, action: SET_BED_STATUS_ACTION[dto.status] });
      if (changes.type !== undefined) await this.bedRows.setType(em, bedId, changes.type);
      // statistics: a bed closed, reopened or of another type moves the township's bed counts
      const deltas = bedCountDeltas(bed, { type: finalType, status: finalStatus });
      await writeStatsChanges(em, [bedStatsChangeStatement(bed.facilityId, deltas)]);
      return { ...bed, ...changes };
    });
  }

  /** The facility's beds that hold no stay and are in service: vacant, or reserved (perhaps lapsed). */
  async freeOrReserved(facilityId: string): Promise<Bed[]> {
    return this.beds
      .createQueryBuilder('b')
      .where('b.facilityId = :facilityId', { facilityId })
      .andWhere("b.status IN ('vacant', 'reserved')")
      .getMany();
  }

  async summary(user: AuthUser, facilityId: string): Promise<BedSummary> {
    await this.facilities.assertAccessible(user, facilityId);
    const rows = await this.beds.query<{ type: BedType; status: BedStatus; n: string | number }[]>(
      'SELECT type, status, COUNT(*) AS n FROM beds WHERE facility_id = ? GROUP BY type, status',
      [facilityId],
    );
    return summarizeBeds(rows.map((r): BedCountRow => ({ type: r.type, status: r.status, count: Number(r.n) })));
  }

  private async insertBeds(facilityId: string, dtos: CreateBedDto[]): Promise<Bed[]> {
    const rows: Bed[] = dtos.map((d) =>
      this.beds.create({
        id: randomUUID(),
        facilityId,
        building: d.building?.trim() || null,
        floor: d.floor ?? null,
        room: d.room.trim(),
        label: d.label.trim(),
        type: d.type,
        gender: d.gender ?? null,
        status: 'vacant',
        reservedForResidentId: null,
        reservedUntil: null,
      }),
    );
    const seen = new Set<string>();
    const byRoom = new Map<string, { room: string; added: BedType[] }>();
    for (const row of rows) {
      const key = `${roomKey(row.room)}\u0000${roomKey(row.label)}`;
      if (seen.has(key)) throw labelTaken(row.room, row.label);
      seen.add(key);
      const room = byRoom.get(roomKey(row.room)) ?? { room: row.room, added: [] };
      room.added.push(row.type);
      byRoom.set(roomKey(row.room), room);
    }
    try {
      await this.tx.run(async (em) => {
        // serialises bed-structure changes of one facility, so two requests cannot both fill the last places of a room
        const locked = await em.query<unknown[]>('SELECT id FROM facilities WHERE id = ? FOR UPDATE', [facilityId]);
        if (locked.length === 0) throw new NotFoundError('Facility', facilityId);
        await this.assertRoomRules(em, facilityId, byRoom, rows);
        await this.bedRows.insert(em, rows);
        // statistics: the new beds in the township's bed counts
        const deltas = rows.reduce(
          (sum, r) => {
            const d = bedCountDeltas(null, r);
            return { bedsInService: sum.bedsInService + d.bedsInService, nursingBeds: sum.nursingBeds + d.nursingBeds };
          },
          { bedsInService: 0, nursingBeds: 0 },
        );
        await writeStatsChanges(em, [bedStatsChangeStatement(facilityId, deltas)]);
      });
    } catch (error) {
      if (isDuplicateKeyError(error) && duplicateKeyName(error) === 'uq_beds_facility_room_label') {
        const message = /Duplicate entry '([^']*)'/.exec((error as { message?: string }).message ?? '')?.[1];
        const taken =
          rows.find((r) => message?.toLowerCase().includes(`${r.room}-${r.label}`.toLowerCase())) ?? rows[0];
        throw labelTaken(taken.room, taken.label);
      }
      throw error;
    }
    return rows;
  }

  /**
   * Within the rooms that gain beds: a label already used in its room is 409 BED_LABEL_TAKEN (checked first: a
   * duplicate adds no bed), then JGJ 450-2018 — each room stays within 6 nursing-type / 4 ordinary beds in service.
   * The caller holds the facility lock. `exceptBedId` leaves out a bed being changed, whose new type is in `added`.
   */
  private async assertRoomRules(
    em: EntityManager,
    facilityId: string,
    rooms: Map<string, { room: string; added: BedType[] }>,
    newLabels: { room: string; label: string }[],
    exceptBedId?: string,
  ): Promise<void> {
    if (rooms.size === 0) return;
    const names = [...rooms.values()].map((r) => r.room);
    const existing = await em.query<{ id: string; room: string; label: string; type: BedType; status: BedStatus }[]>(
      `SELECT id, room, label, type, status FROM beds WHERE facility_id = ? AND room IN (${names.map(() => '?').join(',')})`,
      [facilityId, ...names],
    );
    const taken = new Set(existing.map((b) => `${roomKey(b.room)}\u0000${roomKey(b.label)}`));
    const clash = newLabels.find((n) => taken.has(`${roomKey(n.room)}\u0000${roomKey(n.label)}`));
    if (clash) throw labelTaken(clash.room, clash.label);
    for (const [key, { room, added }] of rooms) {
      const types = existing
        .filter((b) => roomKey(b.room) === key && b.id !== exceptBedId && b.status !== 'closed')
        .map((b) => b.type);
      const check = checkRoomCapacity(room, types, added);
      if (!check.ok)
        throw new UnprocessableError(check.code, check.message, { limit: check.limit, count: check.count });
    }
  }
}
