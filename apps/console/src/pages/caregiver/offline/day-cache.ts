// The day's visits as last fetched, kept in IndexedDB so the app shows them without network.

import { ApiError } from '../../../api/http';
import type { CareOrder } from '../../../api/types';
import { DAYS, idbGet, idbPut } from './idb';

interface CachedDay {
  key: string;
  items: CareOrder[];
  fetchedAt: string;
}

export interface Day {
  items: CareOrder[];
  /** When this list came from the api. */
  fetchedAt: string;
  /** True when the api could not be reached and the list is the one last fetched. */
  offline: boolean;
}

const keyOf = (userId: string, date: string) => `${userId}:${date}`;

/** The day's orders from the api (and kept), or, when the network is away, the ones last kept. */
export async function loadDay(userId: string, date: string, fetchDay: () => Promise<CareOrder[]>): Promise<Day> {
  try {
    const items = await fetchDay();
    const fetchedAt = new Date().toISOString();
    await idbPut<CachedDay>(DAYS, { key: keyOf(userId, date), items, fetchedAt }).catch(() => undefined);
    return { items, fetchedAt, offline: false };
  } catch (e) {
    if (!(e instanceof ApiError) || e.statusCode !== 0) throw e;
    const kept = await idbGet<CachedDay>(DAYS, keyOf(userId, date)).catch(() => undefined);
    if (!kept) throw e;
    return { items: kept.items, fetchedAt: kept.fetchedAt, offline: true };
  }
}
