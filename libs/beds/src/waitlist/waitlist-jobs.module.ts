import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { JobWorkerHost } from '@care/core';
import { WaitlistModule } from './waitlist.module';
import { OfferExpirySweep } from './offer-expiry.service';

/**
 * The dispatcher's side of the waitlist: releases offers past their expiry in the background (every 5 minutes: the
 * job catalogue's schedule).
 */
@Module({ imports: [WaitlistModule] })
export class WaitlistJobsModule implements OnModuleInit {
  private readonly logger = new Logger(WaitlistJobsModule.name);

  constructor(
    private readonly host: JobWorkerHost,
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
}
