import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DYNAMIC, ROOT, entitiesOf, entityAccesses, rel, sourceFiles, sqlWrites, stringLiterals } from './source-scan';
import { TABLE_OWNERS } from './table-owners';

/**
 * One owner per table: every table written in a library's source (or an app's: apps own none) (raw SQL: INSERT/REPLACE INTO, UPDATE, DELETE FROM;
 * TypeORM: a repository, entity-manager write or query-builder insert of an entity) belongs to that library.
 */

/**
 * Known writes of another library's table, each to be removed once that write goes through the owner's service. An
 * entry no longer found fails the check too: take it out. Empty: every table is written by its owner alone (the
 * statistics outbox too: its statement builders are stats' own pure sub-module, @care/stats/outbox, which the owners
 * of the counted tables run in their transactions).
 */
const ALLOWED: { file: string; table: string; reason: string }[] = [];

const LIBS = readdirSync(join(ROOT, 'libs')).filter((lib) => existsSync(join(ROOT, 'libs', lib, 'src')));
const APPS = ['apps/api', 'apps/dispatcher'];

interface Write {
  lib: string;
  file: string;
  table: string;
}

function scan(): { writes: Write[]; entityTables: Map<string, string> } {
  // the apps own no table: a write of theirs is always another's
  const files = [
    ...LIBS.flatMap((lib) => sourceFiles(join(ROOT, 'libs', lib, 'src')).map((path) => ({ lib, path }))),
    ...APPS.flatMap((app) => sourceFiles(join(ROOT, app, 'src')).map((path) => ({ lib: app, path }))),
  ];
  const sources = files.map((f) => ({ ...f, file: rel(f.path), text: readFileSync(f.path, 'utf8') }));
  const entityTables = new Map<string, string>();
  for (const s of sources) for (const [name, table] of entitiesOf(s.text)) entityTables.set(name, table);
  const writes: Write[] = [];
  for (const s of sources) {
    const tables = new Set<string>();
    for (const literal of stringLiterals(s.text)) for (const table of sqlWrites(literal)) tables.add(table);
    for (const name of entityAccesses(s.text)) {
      const table = entityTables.get(name);
      if (table) tables.add(table);
    }
    for (const table of tables) writes.push({ lib: s.lib, file: s.file, table });
  }
  return { writes, entityTables };
}

/** Tables each library's migrations create. */
function createdTables(): Map<string, string> {
  const created = new Map<string, string>();
  for (const lib of LIBS) {
    const dir = join(ROOT, 'libs', lib, 'src', 'migrations');
    if (!existsSync(dir)) continue;
    for (const file of sourceFiles(dir)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?`?(\w+)`?/gi)) created.set(m[1], lib);
    }
  }
  return created;
}

describe('one owner per table', () => {
  const { writes, entityTables } = scan();
  const key = (file: string, table: string) => `${file} writes ${table}`;

  it('every table has one owner, the library whose migrations create it', () => {
    const created = createdTables();
    expect(Object.fromEntries([...created].sort())).toEqual(Object.fromEntries(Object.entries(TABLE_OWNERS).sort()));
    for (const [name, table] of entityTables) expect([name, TABLE_OWNERS[table]]).toEqual([name, expect.any(String)]);
  });

  it('every SQL write names a known table (no table from an expression)', () => {
    const unknown = writes.filter((w) => !(w.table in TABLE_OWNERS)).map((w) => key(w.file, w.table));
    expect(unknown).toEqual([]);
  });

  it('no library writes another library’s table, but for the allow-list', () => {
    const foreign = writes
      .filter((w) => w.table in TABLE_OWNERS && TABLE_OWNERS[w.table] !== w.lib)
      .map((w) => key(w.file, w.table))
      .sort();
    const allowed = ALLOWED.map((a) => key(a.file, a.table)).sort();
    expect(foreign.filter((w) => !allowed.includes(w))).toEqual([]);
    // a fixed write leaves its entry behind: remove it
    expect(allowed.filter((a) => !foreign.includes(a))).toEqual([]);
  });

  it('finds the writes it looks for (the scanner itself)', () => {
    expect(sqlWrites('INSERT IGNORE INTO caregiver_days (a) VALUES (?) ON DUPLICATE KEY UPDATE a = 1')).toEqual([
      'caregiver_days',
    ]);
    expect(sqlWrites('SELECT id FROM beds WHERE id = ? FOR UPDATE')).toEqual([]);
    expect(sqlWrites('UPDATE beds b JOIN stays s ON s.bed_id = b.id SET b.status = ?')).toEqual(['beds']);
    expect(sqlWrites('DELETE FROM stays WHERE id = ?')).toEqual(['stays']);
    expect(sqlWrites('REPLACE INTO regions (code) VALUES (?)')).toEqual(['regions']);
    expect(
      stringLiterals('// UPDATE beds\nconst a = `INSERT INTO ${t} VALUES (${"x"})`; /* DELETE FROM stays */'),
    ).toEqual(['x', `INSERT INTO ${DYNAMIC} VALUES (${DYNAMIC})`]);
    expect(entityAccesses('@InjectRepository(Bed) r; em.insert(Stay, {}); TypeOrmModule.forFeature([A, B])')).toEqual(
      expect.arrayContaining(['Bed', 'Stay', 'A', 'B']),
    );
  });
});
