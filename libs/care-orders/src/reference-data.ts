import type { DataSource, EntityManager } from 'typeorm';
import { SERVICE_CATALOGUE } from './rules/service-catalogue';

/**
 * Loads the service catalogue (domain.md §5) into `services`. Codes and skills are fixed; a row that exists is
 * left as it is, because names and default minutes are defaults the bureau may have changed. Running it again
 * changes nothing.
 */
export async function loadServiceCatalogue(db: DataSource | EntityManager): Promise<number> {
  let order = 0;
  for (const s of SERVICE_CATALOGUE) {
    order += 10;
    await db.query(
      `INSERT INTO services (code, name, name_en, default_minutes, skill, active, sort_order) VALUES (?, ?, ?, ?, ?, 1, ?)
       ON DUPLICATE KEY UPDATE code = code`,
      [s.code, s.name, s.nameEn, s.defaultMinutes, s.skill, order],
    );
  }
  return SERVICE_CATALOGUE.length;
}
