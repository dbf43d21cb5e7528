import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '@care/core';
import { BedsRepository } from '../beds.repository';
import { OFFER_CLEARED, WaitlistRepository } from './waitlist.repository';

/**
 * The expiry of offers, run by the ReleaseExpiredOffers job (WaitlistJobsModule) and before a new offer: offers past
 * their expiry go back to waiting (keeping their place) and their beds back to vacant. Reads never call it: they show
 * an expired offer as waiting (`entryAsSeen`).
 */
@Injectable()
export class OfferExpirySweep {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly entries: WaitlistRepository,
    private readonly beds: BedsRepository,
  ) {}

  /** Every facility's expired offers, one transaction per facility. */
  async releaseExpiredOffersEverywhere(now = new Date()): Promise<{ facilities: number; offers: number }> {
    const facilities = await this.entries.facilitiesWithExpiredOffers(now);
    let offers = 0;
    for (const facilityId of facilities)
      offers += await this.tx.run((em) => this.releaseExpiredOffers(em, facilityId, now));
    return { facilities: facilities.length, offers };
  }

  /** One facility's expired offers, in the caller's transaction; returns how many were released. */
  async releaseExpiredOffers(em: EntityManager, facilityId: string, now: Date): Promise<number> {
    const expired = await this.entries.lockExpiredOffers(em, facilityId, now);
    for (const e of expired) {
      if (e.offeredBedId) {
        await this.beds.setStatus(em, {
          bed: { id: e.offeredBedId, status: 'reserved' },
          action: 'release',
          onlyIfReservedFor: { residentId: e.residentId, expiredBy: now },
        });
      }
      await this.entries.setStatus(em, e, 'expire', OFFER_CLEARED);
    }
    return expired.length;
  }
}
