/**
 * The web console bundles these rules as they are (apps/console/vite.config.ts aliases `@rules/assessments` to
 * this folder and `@rules/id-number` to libs/residents/src/rules/id-number.ts), so the form computes the level the
 * server records. That only works while they import nothing but each other: no Nest, no TypeORM, no @care/core
 * but its self-contained pure modules the console aliases too: the ID-number masking rule (`@care/core/privacy`) and
 * county time (`@care/core/time`, which imports nothing).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const RULES = __dirname;
const ID_NUMBER = join(__dirname, '..', '..', '..', 'residents', 'src', 'rules', 'id-number.ts');
/** The one ID-number masking rule, which id-number.ts re-exports; the console aliases `@care/core/privacy` to it. */
const ID_NUMBER_MASK = join(__dirname, '..', '..', '..', 'core', 'src', 'privacy', 'id-number-mask.ts');
/** County time (months, dates), which validity.ts imports; the console aliases `@care/core/time` to this folder. */
const TIME_DIR = join(__dirname, '..', '..', '..', 'core', 'src', 'time');
const ALLOWED_OUTSIDE: Record<string, string[]> = { [ID_NUMBER]: ['@care/core/privacy'] };
/** What any rule module may import besides its siblings. */
const ALLOWED_EVERYWHERE = ['@care/core/time'];

function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of src.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)) specs.push(m[1]);
  for (const m of src.matchAll(/(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]);
  return specs;
}

describe('rules the console bundles', () => {
  const files = [
    ...readdirSync(RULES)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
      .map((f) => join(RULES, f)),
    ID_NUMBER,
    ID_NUMBER_MASK,
    ...readdirSync(TIME_DIR)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
      .map((f) => join(TIME_DIR, f)),
  ];

  it.each(files.map((f) => [f.slice(f.indexOf('libs/')), f]))('%s imports only sibling rule modules', (_name, file) => {
    const allowed = [...ALLOWED_EVERYWHERE, ...(ALLOWED_OUTSIDE[file] ?? [])];
    const outside = importsOf(file).filter((s) => !s.startsWith('./') && !allowed.includes(s));
    expect(outside).toEqual([]);
  });

  it('finds the modules it checks', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(importsOf(join(RULES, 'evaluate.ts'))).toContain('./adjustment');
    expect(importsOf(join(RULES, 'validity.ts'))).toContain('@care/core/time');
    expect(files).toContain(join(TIME_DIR, 'county-time.ts'));
  });
});
