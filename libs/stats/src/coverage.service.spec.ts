import type { DataSource } from 'typeorm';

import type { CoverageRepository, Township, TownshipCounts } from './coverage.repository';
import { CoverageService, emptyCounts } from './coverage.service';

/** The service's keeping policy with the repository mocked (no database). */
describe('CoverageService: keeping and refreshing the figures', () => {
  const townships: Township[] = [
    { code: '620422100', name: '会师镇', kind: 'urban', parentCode: '620422' },
    { code: '620422102', name: '河畔镇', kind: 'rural', parentCode: '620422' },
  ];

  function setup(computeMs: number) {
    let fingerprint = 'v1';
    let occupied = 10;
    const countsByTownship = jest.fn(async (): Promise<Map<string, TownshipCounts>> => {
      const value = occupied;
      await new Promise((resolve) => setTimeout(resolve, computeMs));
      return new Map([['620422100', { ...emptyCounts(), bedsInService: 20, occupiedBeds: value }]]);
    });
    const repo = {
      fingerprint: jest.fn(async () => fingerprint),
      townships: jest.fn(async () => townships),
      countsByTownship,
    } as unknown as CoverageRepository;
    const service = new CoverageService(repo, {} as DataSource);
    service.keepAfterMs = 200;
    return {
      service,
      countsByTownship,
      change: (newOccupied: number) => {
        fingerprint = `v${newOccupied}`;
        occupied = newOccupied;
      },
    };
  }
  const utilization = (r: { indicators: { key: string; numerator: number }[] }) =>
    r.indicators.find((i) => i.key === 'bed_utilization')?.numerator;

  it('quick computations are never kept: every request sees the current data', async () => {
    const { service, countsByTownship, change } = setup(0);
    expect(utilization(await service.coverage({ month: '2020-12' }))).toBe(10);
    change(11);
    const r = await service.coverage({ month: '2020-12' });
    expect(utilization(r)).toBe(11);
    expect(r.stale).toBe(false);
    expect(countsByTownship).toHaveBeenCalledTimes(2);
  });

  it('slow ones are kept while the fingerprint holds, then served stale while one refresh runs', async () => {
    const { service, countsByTownship, change } = setup(250);
    const first = await service.coverage({ month: '2020-12' });
    expect(first).toMatchObject({ stale: false });
    await service.coverage({ month: '2020-12' });
    expect(countsByTownship).toHaveBeenCalledTimes(1); // kept

    change(12);
    const [a, b] = await Promise.all([service.coverage({ month: '2020-12' }), service.coverage({ month: '2020-12' })]);
    expect([a.stale, b.stale]).toEqual([true, true]);
    expect(utilization(a)).toBe(10); // at once, the kept figures
    expect(countsByTownship).toHaveBeenCalledTimes(2); // one refresh for both
    await new Promise((resolve) => setTimeout(resolve, 400));
    const fresh = await service.coverage({ month: '2020-12' });
    expect(fresh.stale).toBe(false);
    expect(utilization(fresh)).toBe(12);
  });

  it('concurrent cold requests share one computation', async () => {
    const { service, countsByTownship } = setup(250);
    await Promise.all([1, 2, 3].map(() => service.coverage({ month: '2020-12' })));
    expect(countsByTownship).toHaveBeenCalledTimes(1);
  });

  it('a township filter selects one township or a county; an unknown code is 404', async () => {
    const { service } = setup(0);
    expect((await service.coverage({ month: '2020-12', regionCode: '620422102' })).byRegion).toHaveLength(1);
    expect((await service.coverage({ month: '2020-12', regionCode: '620422' })).byRegion).toHaveLength(2);
    await expect(service.coverage({ month: '2020-12', regionCode: '999' })).rejects.toMatchObject({ status: 404 });
    await expect(service.coverage({ month: '2999-01' })).rejects.toMatchObject({ status: 400 });
  });
});
