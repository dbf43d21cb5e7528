import type { EntityManager } from 'typeorm';
import type { TransactionRunner } from '@care/core';
import type { BedsRepository } from '../beds.repository';
import { OfferExpirySweep } from './offer-expiry.service';
import type { WaitlistEntry } from './waitlist-entry.entity';
import type { WaitlistRepository } from './waitlist.repository';

const NOW = new Date('2026-03-01T08:00:00Z');
const em = {} as EntityManager;

function entry(id: string, offeredBedId: string | null): WaitlistEntry {
  return { id, residentId: `r-${id}`, status: 'offered', offeredBedId } as WaitlistEntry;
}

describe('OfferExpirySweep (repositories mocked)', () => {
  const tx = { run: jest.fn((work: (em: EntityManager) => Promise<unknown>) => work(em)) };
  const entries = {
    facilitiesWithExpiredOffers: jest.fn(),
    lockExpiredOffers: jest.fn(),
    setStatus: jest.fn(),
  };
  const beds = { setStatus: jest.fn() };
  const sweep = new OfferExpirySweep(
    tx as unknown as TransactionRunner,
    entries as unknown as WaitlistRepository,
    beds as unknown as BedsRepository,
  );

  beforeEach(() => jest.clearAllMocks());

  it('one transaction per facility; each expired offer waits again and its bed is released only if still held for it', async () => {
    entries.facilitiesWithExpiredOffers.mockResolvedValue(['f1', 'f2']);
    entries.lockExpiredOffers.mockImplementation((_em: EntityManager, facilityId: string) =>
      Promise.resolve(facilityId === 'f1' ? [entry('e1', 'b1'), entry('e2', null)] : [entry('e3', 'b3')]),
    );
    expect(await sweep.releaseExpiredOffersEverywhere(NOW)).toEqual({ facilities: 2, offers: 3 });
    expect(tx.run).toHaveBeenCalledTimes(2);
    expect(beds.setStatus.mock.calls.map((c) => c[1])).toEqual([
      {
        bed: { id: 'b1', status: 'reserved' },
        action: 'release',
        onlyIfReservedFor: { residentId: 'r-e1', expiredBy: NOW },
      },
      {
        bed: { id: 'b3', status: 'reserved' },
        action: 'release',
        onlyIfReservedFor: { residentId: 'r-e3', expiredBy: NOW },
      },
    ]);
    expect(entries.setStatus.mock.calls.map((c) => [(c[1] as WaitlistEntry).id, c[2], c[3]])).toEqual([
      ['e1', 'expire', { offeredBedId: null, offeredAt: null, offerExpiresAt: null }],
      ['e2', 'expire', { offeredBedId: null, offeredAt: null, offerExpiresAt: null }],
      ['e3', 'expire', { offeredBedId: null, offeredAt: null, offerExpiresAt: null }],
    ]);
  });

  it('nothing expired: no transaction', async () => {
    entries.facilitiesWithExpiredOffers.mockResolvedValue([]);
    expect(await sweep.releaseExpiredOffersEverywhere(NOW)).toEqual({ facilities: 0, offers: 0 });
    expect(tx.run).not.toHaveBeenCalled();
  });
});
