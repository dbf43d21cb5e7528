import { Logger, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { JOB_CATALOGUE, JobQueue, JobWorkerHost } from '@care/core';
import { WaitlistModule } from './waitlist.module';
import { OfferExpirySweep } from './offer-expiry.service';

/** The scheduler of ReleaseExpiredOffers (upserted at dispatcher start: one, however many dispatchers run). */
export const RELEASE_EXPIRED_OFFERS_SCHEDULER_ID = 'release-expired-offers';
/** Every 5 minutes: a lapsed reservation shows as a free bed at most 5 minutes late. */
const RELEASE_EXPIRED_OFFERS_EVERY_MS = 5 * 60_000;

/** The dispatcher's side of the waitlist: releases offers past their expiry in the background. */
@Module({ imports: [WaitlistModule] })
export class WaitlistJobsModule implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(WaitlistJobsModule.name);

  constructor(
    private readonly host: JobWorkerHost,
    private readonly jobs: JobQueue,
    private readonly expiry: OfferExpirySweep,
  ) {}

  onModuleInit(): void {
    this.host.register('ReleaseExpiredOffers', async () => {
      const released = await this.expiry.releaseExpiredOffersEverywhere();
      if (released.offers > 0)
        this.logger.log(`released ${released.offers} expired offer(s) in ${released.facilities} facility(ies)`);
      return released;
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const job = JOB_CATALOGUE.ReleaseExpiredOffers;
    await this.jobs
      .queue(job.queue)
      .upsertJobScheduler(
        RELEASE_EXPIRED_OFFERS_SCHEDULER_ID,
        { every: RELEASE_EXPIRED_OFFERS_EVERY_MS },
        { name: 'ReleaseExpiredOffers', data: {}, opts: job.options },
      );
  }
}
