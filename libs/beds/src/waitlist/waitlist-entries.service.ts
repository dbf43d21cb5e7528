import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AuthUser,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  Page,
  TransactionRunner,
  auditContext,
  duplicateKeyName,
  isDuplicateKeyError,
} from '@care/core';
import { FacilitiesService } from '@care/facilities';
import { ResidentsService } from '@care/residents';
import { BedsRepository } from '../beds.repository';
import { StaysRepository } from '../stays.repository';
import { isOpenEntryStatus } from '../rules/waitlist-transitions';
import type { CancelWaitlistEntryDto, CreateWaitlistEntryDto, ListWaitlistQueryDto } from './dto/waitlist.dto';
import type { WaitlistStatus } from './waitlist-entry.entity';
import { OFFER_CLEARED, WaitlistRepository, closedPatch } from './waitlist.repository';
import type { WaitlistEntryView } from './waitlist.view';
import { WaitlistViews } from './waitlist-views';

const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** The admission waitlist of a facility: adding, listing, reading and cancelling entries. Each write is one transaction. */
@Injectable()
export class WaitlistEntriesService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly facilities: FacilitiesService,
    private readonly residents: ResidentsService,
    private readonly entries: WaitlistRepository,
    private readonly beds: BedsRepository,
    private readonly stays: StaysRepository,
    private readonly views: WaitlistViews,
  ) {}

  async add(user: AuthUser, facilityId: string, dto: CreateWaitlistEntryDto): Promise<WaitlistEntryView> {
    await this.facilities.assertAccessible(user, facilityId);
    const now = new Date();
    const appliedAt = dto.appliedAt === undefined ? now : new Date(dto.appliedAt);
    if (Number.isNaN(appliedAt.getTime())) throw new InvalidInputError('appliedAt: not a real time');
    if (appliedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
      throw new InvalidInputError('appliedAt: must not be in the future');
    const id = randomUUID();
    auditContext.note({ entity: 'waitlist-entry', ids: [id], residentIds: [dto.residentId] });
    try {
      await this.tx.run(async (em) => {
        // 404 for a resident the user cannot see; by idNumber a resident beyond the user's facilities (the desk flow)
        const resident = await this.residents.lockForPlacement(em, user, {
          residentId: dto.residentId,
          idNumber: dto.idNumber,
        });
        if ((await this.stays.residentsWithActiveStay([resident.id], em)).size > 0) {
          throw new ConflictError(
            'RESIDENT_ALREADY_ADMITTED',
            'The resident already has an active stay: discharge it before waitlisting',
          );
        }
        await this.entries.insert(em, {
          id,
          facilityId,
          residentId: resident.id,
          appliedAt,
          note: dto.note?.trim() || null,
          createdBy: user.id,
        });
        await this.residents.linkToFacility(em, resident.id, facilityId, 'waitlisted');
      });
    } catch (error) {
      if (isDuplicateKeyError(error) && duplicateKeyName(error) === 'uq_waitlist_open_entry') {
        throw new ConflictError('ALREADY_WAITLISTED', 'The resident is already on this facility’s waitlist');
      }
      throw error;
    }
    return this.views.entryView(id, now);
  }

  /**
   * The facility's waitlist. Open entries (waiting, offered) come in the policy's order with their tier, reasons and
   * position; closed ones (admitted, cancelled) newest first. An offer past its expiry shows as waiting (computed
   * here; the ReleaseExpiredOffers job writes it): a GET writes nothing.
   */
  async list(user: AuthUser, facilityId: string, query: ListWaitlistQueryDto): Promise<Page<WaitlistEntryView>> {
    await this.facilities.assertAccessible(user, facilityId);
    const now = new Date();
    const status = query.status ?? 'open';
    const ranked = await this.views.rankedOpen(facilityId, now);
    let views: WaitlistEntryView[];
    if (status === 'open' || status === 'waiting' || status === 'offered') {
      views = ranked.filter((v) => status === 'open' || v.status === status);
    } else {
      const closedStatuses: WaitlistStatus[] = status === 'all' ? ['admitted', 'cancelled'] : [status];
      const closedViews = await this.views.unranked(await this.entries.closed(facilityId, closedStatuses), now);
      views = status === 'all' ? [...ranked, ...closedViews] : closedViews;
    }
    return { items: views.slice(query.offset, query.offset + query.limit), total: views.length };
  }

  async get(user: AuthUser, facilityId: string, entryId: string): Promise<WaitlistEntryView> {
    await this.facilities.assertAccessible(user, facilityId);
    const entry = await this.entries.find(entryId, facilityId);
    if (!entry) throw new NotFoundError('Waitlist entry', entryId);
    return this.views.entryView(entry.id, new Date());
  }

  async cancel(
    user: AuthUser,
    facilityId: string,
    entryId: string,
    dto: CancelWaitlistEntryDto,
  ): Promise<WaitlistEntryView> {
    await this.facilities.assertAccessible(user, facilityId);
    const now = new Date();
    await this.tx.run(async (em) => {
      const seen = await this.entries.find(entryId, facilityId, em);
      if (!seen) throw new NotFoundError('Waitlist entry', entryId);
      // bed before entry, as everywhere
      if (seen.offeredBedId) await this.beds.lock(em, seen.offeredBedId);
      const entry = await this.entries.lock(em, entryId);
      auditContext.note({ entity: 'waitlist-entry', ids: [entryId], residentIds: [entry?.residentId] });
      if (!entry || !isOpenEntryStatus(entry.status)) {
        throw new ConflictError(
          'INVALID_TRANSITION',
          `Waitlist entry in status "${entry?.status ?? 'unknown'}" does not allow "cancel"`,
        );
      }
      if (entry.offeredBedId) {
        await this.beds.setStatus(em, {
          bed: { id: entry.offeredBedId, status: 'reserved' },
          action: 'release',
          onlyIfReservedFor: { residentId: entry.residentId },
        });
      }
      await this.entries.setStatus(
        em,
        entry,
        'cancel',
        closedPatch('cancelled', now, { closeNote: dto.reason?.trim() || null, ...OFFER_CLEARED }),
      );
    });
    return this.views.entryView(entryId, now);
  }
}
