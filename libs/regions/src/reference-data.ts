import type { DataSource, EntityManager } from 'typeorm';
import countyData from './data/regions-620422.json';

interface TownshipRow {
  code: string;
  name: string;
  nameEn: string;
  kind: 'urban' | 'rural';
  parentCode: string;
  level: string;
}

export const COUNTY = countyData.county;
export const TOWNSHIPS: TownshipRow[] = countyData.townships as TownshipRow[];

/**
 * Upserts the county's 28 townships. Names and kinds follow the data file; coordinates set later
 * (e.g. by the demo seed) are kept. Running it again changes nothing.
 */
export async function loadRegions(db: DataSource | EntityManager): Promise<number> {
  for (const t of TOWNSHIPS) {
    await db.query(
      `INSERT INTO regions (code, name, name_en, kind, level, parent_code) VALUES (?, ?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE name = VALUES(name), name_en = VALUES(name_en), kind = VALUES(kind),
         level = VALUES(level), parent_code = VALUES(parent_code)`,
      [t.code, t.name, t.nameEn, t.kind, t.level, t.parentCode],
    );
  }
  return TOWNSHIPS.length;
}
