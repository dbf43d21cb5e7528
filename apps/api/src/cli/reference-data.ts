import type { DataSource } from 'typeorm';
import { loadServiceCatalogue } from '@care/care-orders';
import { loadRegions } from '@care/regions';

/**
 * Reference data loaded by `npm run migrate` after the migrations: each loader is an idempotent upsert,
 * so running migrate again changes nothing.
 */
export const REFERENCE_DATA_LOADERS: { name: string; load: (db: DataSource) => Promise<number> }[] = [
  { name: 'townships', load: loadRegions },
  { name: 'services', load: loadServiceCatalogue },
];
