import { Inject, Injectable } from '@nestjs/common';
import {
  APP_CONFIG,
  AppConfig,
  AuthUser,
  ConflictError,
  NotFoundError,
  TransactionRunner,
  auditContext,
  toCountyIso,
} from '@care/core';
import { FacilitiesService } from '@care/facilities';
import { BedsRepository } from '../beds.repository';
import { toBedView, type BedView } from '../bed.view';
import { StaysRepository } from '../stays.repository';
import { isReservationActive } from '../rules/admission';
import type { BedFitReason, FitBed } from '../rules/bed-fit';
import { chooseOffer, type OfferCandidate } from '../rules/waitlist-offer';
import type { WaitlistLevel } from '../rules/waitlist-priority';
import type { CreateOfferDto } from './dto/waitlist.dto';
import type { WaitlistEntry } from './waitlist-entry.entity';
import { WaitlistRepository } from './waitlist.repository';
import type { WaitlistEntryView } from './waitlist.view';
import { WaitlistViews } from './waitlist-views';
import { OfferExpirySweep } from './offer-expiry.service';

const HOUR_MS = 3600_000;

export interface OfferResult {
  entry: WaitlistEntryView;
  bed: BedView;
  /** Why the bed fits the chosen resident. */
  fitReasons: readonly BedFitReason[];
  /** Better-placed entries passed over, in waitlist order, with the reasons. */
  skipped: { entryId: string; residentId: string; position: number; reasons: readonly BedFitReason[] }[];
}

/** Offers of freed beds to the waitlist (reservations). The bed row is locked before waitlist rows. */
@Injectable()
export class WaitlistOffersService {
  constructor(
    private readonly tx: TransactionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly facilities: FacilitiesService,
    private readonly entries: WaitlistRepository,
    private readonly beds: BedsRepository,
    private readonly stays: StaysRepository,
    private readonly views: WaitlistViews,
    private readonly expiry: OfferExpirySweep,
  ) {}

  /**
   * Offers a freed bed to the best-placed entry whose resident fits it: the bed becomes `reserved` for that resident
   * until the expiry (config `BED_RESERVATION_HOURS`, default 48), the entry `offered`. Admission from the
   * reservation succeeds; anyone else gets 409 BED_OCCUPIED until it expires or is released.
   */
  async offer(user: AuthUser, facilityId: string, dto: CreateOfferDto): Promise<OfferResult> {
    await this.facilities.assertAccessible(user, facilityId);
    const now = new Date();
    const hours = dto.hours ?? this.config.admission.reservationHours;
    const policy = { nursingBedFromLevel: this.config.admission.nursingBedFromLevel };
    // lapsed offers wait again first, so their residents are candidates (a POST may write)
    await this.tx.run((em) => this.expiry.releaseExpiredOffers(em, facilityId, now), { audit: false });
    const result = await this.tx.run(async (em) => {
      const bed = await this.beds.lock(em, dto.bedId);
      if (!bed || bed.facilityId !== facilityId) throw new NotFoundError('Bed', dto.bedId);
      if (bed.status === 'maintenance' || bed.status === 'closed') {
        throw new ConflictError(
          'BED_UNAVAILABLE',
          `Bed ${bed.id} is ${bed.status === 'closed' ? 'closed' : 'under maintenance'}`,
        );
      }
      if ((await this.stays.hasActiveStayOnBed(em, bed.id)) || bed.status === 'occupied')
        throw new ConflictError('BED_OCCUPIED', `Bed ${bed.id} holds an active stay`);
      if (isReservationActive(bed, now)) {
        throw new ConflictError(
          'BED_OCCUPIED',
          `Bed ${bed.id} is reserved until ${toCountyIso(bed.reservedUntil) ?? 'released'}`,
        );
      }
      const waiting = await this.entries.lockWaiting(em, facilityId);
      const facts = await this.views.residentFacts(
        waiting.map((e) => e.residentId),
        now,
        em,
      );
      const candidates = waiting
        .filter((e) => facts.has(e.residentId))
        .map((e): OfferCandidate & { entry: WaitlistEntry } => {
          const f = facts.get(e.residentId)!;
          return {
            id: e.id,
            entry: e,
            categories: f.view.categories,
            level: (f.level?.level ?? null) as WaitlistLevel | null,
            age: f.view.age,
            appliedAt: e.appliedAt,
            gender: f.resident.gender,
            hasActiveStay: f.hasActiveStay,
          };
        });
      const fitBed: FitBed = {
        id: bed.id,
        type: bed.type,
        gender: bed.gender,
        room: bed.room,
        label: bed.label,
        building: bed.building,
        floor: bed.floor,
      };
      const choice = chooseOffer(fitBed, candidates, policy);
      if (!choice.chosen) {
        throw new ConflictError(
          'NO_FITTING_ENTRY',
          waiting.length === 0
            ? 'Nobody is waiting at this facility'
            : `None of the ${waiting.length} waiting entries fits bed ${bed.room}-${bed.label} (type ${bed.type}${bed.gender ? `, ${bed.gender} only` : ''})`,
        );
      }
      const chosen = choice.chosen.entry.entry;
      auditContext.note({ entity: 'waitlist-entry', ids: [chosen.id, bed.id], residentIds: [chosen.residentId] });
      const until = new Date(now.getTime() + hours * HOUR_MS);
      await this.beds.setStatus(em, { bed, action: 'reserve', reservation: { residentId: chosen.residentId, until } });
      await this.entries.setStatus(em, chosen, 'offer', {
        offeredBedId: bed.id,
        offeredAt: now,
        offerExpiresAt: until,
      });
      return {
        entryId: chosen.id,
        bed: { ...bed, status: 'reserved' as const, reservedForResidentId: chosen.residentId, reservedUntil: until },
        fitReasons: choice.fitReasons,
        skipped: choice.skipped.map((s) => ({
          entryId: s.entry.id,
          residentId: s.entry.entry.residentId,
          position: s.position,
          reasons: s.reasons,
        })),
      };
    });
    return {
      entry: await this.views.entryView(result.entryId, now),
      bed: toBedView(result.bed),
      fitReasons: result.fitReasons,
      skipped: result.skipped,
    };
  }
}
