import type { QueryRunner } from 'typeorm';

/** Whether the current database has the index (migrations that add indexes to existing tables stay re-runnable). */
export async function indexExists(q: QueryRunner, table: string, index: string): Promise<boolean> {
  const rows: { n: number | string }[] = await q.query(
    `SELECT COUNT(*) AS n FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ?`,
    [table, index],
  );
  return Number(rows[0]?.n ?? 0) > 0;
}
