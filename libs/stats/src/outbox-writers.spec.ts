/**
 * Statistics learn of a change only from the outbox row its owner writes in the same transaction
 * (`stats_changes`, the statements of @care/stats/outbox). A write to a table the coverage figures come from that
 * forgets the row leaves the kept figures stale until the monthly snapshot: this test catches such a writer. Every
 * server source file (tests, migrations, the demo loader and the bench generators aside: they fill a database
 * before any figure is kept) that writes one of those tables must write a statistics change too, or be listed
 * below with the reason its writes move no figure.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const TABLES = 'facilities|beds|stays|residents|resident_categories|assessments|care_orders|caregivers|service_points';
const ENTITIES = 'Resident|ResidentCategoryRow|Bed|Stay|Assessment|Facility|CareOrder|Caregiver|ServicePoint';
const RAW_WRITE = new RegExp(String.raw`(INSERT\s+(IGNORE\s+)?INTO|UPDATE|DELETE\s+FROM)\s+(${TABLES})\b`);
const ORM_WRITE = new RegExp(String.raw`\.(insert|update|delete|save|upsert)\(\s*(em\.create\(\s*)?(${ENTITIES})\b`);
/** A TypeORM repository of one of those entities, written through (`this.points.save(…)`). */
const REPOSITORY = new RegExp(String.raw`Repository<(${ENTITIES})>`);
const REPOSITORY_WRITE = /\bthis\.\w+\.(insert|update|delete|save|upsert)\(/;
const STATS_CHANGE =
  /\b(writeStatsChanges|statsChangeStatement|residentStatsChangeStatement|residentFactsAround|bedStatsChangeStatement)\b/;

/** Files that write those tables without a statistics change, and why no figure moves. */
const NO_FIGURE_MOVES: Record<string, string> = {
  'libs/beds/src/beds.repository.ts':
    "the beds' one writer (statements); its callers add the statistics change in the same transaction: BedsService the counts, StaysService the elder's facts; reserving and releasing (vacant ↔ reserved) moves no figure",
  'libs/beds/src/stays.repository.ts':
    "the stays' statements; StaysService writes the elder's facts before and after them in the same batch",
  'libs/residents/src/key-rotation/rotate-data-key.ts': "the ID number's cipher and look-up hash",
  'libs/care-orders/src/services/order-writes.ts':
    "new orders, status changes and dispatch's writes (travel minutes, declines, caregiver days); the one transition the figures count, check_out → completed, adds its statement in order-actions.service.ts",
  'libs/care-orders/src/services/care-orders.service.ts':
    'orders created and cancelled, and their Idempotency-Key rows (a completed order is final: no transition leaves it)',
  'libs/care-orders/src/services/service-points.service.ts':
    'a new service point has no caregiver yet, so no circle (a caregiver created or changed writes the circles change)',
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (['node_modules', 'migrations', 'test', 'http', 'demo', 'console'].includes(name)) continue;
      out.push(...sources(path));
    } else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.e2e-spec.ts')) out.push(path);
  }
  return out;
}

describe('the owners are the only writers of what the coverage figures count', () => {
  const files = [...sources(join(ROOT, 'libs')), ...sources(join(ROOT, 'apps'))].map((path) => ({
    file: relative(ROOT, path),
    text: readFileSync(path, 'utf8'),
  }));
  const writers = files.filter(
    (f) =>
      RAW_WRITE.test(f.text) || ORM_WRITE.test(f.text) || (REPOSITORY.test(f.text) && REPOSITORY_WRITE.test(f.text)),
  );

  it('finds the writers (the scan works)', () => {
    expect(writers.map((w) => w.file)).toEqual(
      expect.arrayContaining([
        'libs/beds/src/stays.repository.ts',
        'libs/beds/src/beds.service.ts',
        'libs/residents/src/residents.service.ts',
        'libs/assessments/src/assessments.service.ts',
      ]),
    );
  });

  it('every writer writes a statistics change, or is listed with the reason no figure moves', () => {
    const unannounced = writers
      .filter((w) => !STATS_CHANGE.test(w.text) && !(w.file in NO_FIGURE_MOVES))
      .map((w) => w.file);
    expect(unannounced).toEqual([]);
  });

  it('the list names only files that still write those tables', () => {
    for (const file of Object.keys(NO_FIGURE_MOVES)) expect(writers.map((w) => w.file)).toContain(file);
  });

  it('the check-out, the only way to a completed visit, writes its statistics change in its batch', () => {
    const actions = files.find((f) => f.file === 'libs/care-orders/src/services/order-actions.service.ts');
    expect(actions?.text).toMatch(/residentFactsAround\('visits'/);
  });
});
