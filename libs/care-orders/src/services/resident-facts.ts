import { rowsOf, stmt, type AreaKind, type GeoPoint, type SqlResult, type SqlStatement } from '@care/core';
import type { EntityManager } from 'typeorm';

/**
 * What this library needs to know about a resident, read straight from the residents library's tables
 * (residents, regions): care orders depend on residents only through these columns.
 */
export interface ResidentFacts {
  id: string;
  name: string;
  regionCode: string;
  livingArrangement: string;
  address: string | null;
  /** Null when the resident's coordinates are unknown. */
  location: GeoPoint | null;
  kind: AreaKind;
}

interface Row {
  id: string;
  name: string;
  region_code: string;
  living_arrangement: string;
  address: string | null;
  lat: string | null;
  lng: string | null;
  kind: string | null;
}

function toFacts(row: Row): ResidentFacts {
  return {
    id: row.id,
    name: row.name,
    regionCode: row.region_code,
    livingArrangement: row.living_arrangement,
    address: row.address,
    location: row.lat !== null && row.lng !== null ? { lat: Number(row.lat), lng: Number(row.lng) } : null,
    kind: row.kind === 'urban' ? 'urban' : 'rural',
  };
}

export async function residentFacts(em: EntityManager, ids: readonly string[]): Promise<Map<string, ResidentFacts>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const statement = residentFactsStatement(unique.map(() => '?').join(','), unique);
  return residentFactsFrom(await em.query(statement.sql, [...statement.params]));
}

/** The read behind {@link residentFacts} as a statement: `idsSql` lists the ids (placeholders or an expression). */
export function residentFactsStatement(idsSql: string, params: readonly unknown[]): SqlStatement {
  return stmt(
    `SELECT r.id, r.name, r.region_code, r.living_arrangement, r.address, r.lat, r.lng, g.kind
       FROM residents r LEFT JOIN regions g ON g.code = r.region_code
      WHERE r.id IN (${idsSql})`,
    params,
  );
}

export function residentFactsFrom(result: SqlResult | readonly Row[]): Map<string, ResidentFacts> {
  return new Map(rowsOf<Row>(result as SqlResult).map((row) => [row.id, toFacts(row)]));
}
