/**
 * Reads TypeScript sources for the ownership check: the SQL in string literals (comments skipped, `${…}` read as a
 * placeholder) and the TypeORM calls that name an entity class.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** The .ts files under a folder, specs left out (tests write whatever tables they need). */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !/\.(spec|e2e-spec)\.ts$/.test(entry.name)) out.push(path);
  }
  return out;
}

export const rel = (path: string) => relative(ROOT, path).split('\\').join('/');

/** A template literal's `${…}` in the text of stringLiterals: a table named by an expression is caught as "dynamic". */
export const DYNAMIC = '__dynamic__';

/** The contents of the string and template literals of a TypeScript source, comments skipped. */
export function stringLiterals(source: string): string[] {
  const out: string[] = [];
  let i = 0;
  // template literals can nest through ${ … `…` … }: a stack of the open templates' texts and brace depths
  const templates: { text: string; depth: number }[] = [];
  let depth = 0;
  while (i < source.length) {
    const c = source[i];
    const inTemplateText = templates.length > 0 && templates[templates.length - 1].depth === -1;
    if (inTemplateText) {
      const top = templates[templates.length - 1];
      if (c === '\\') {
        top.text += source.slice(i, i + 2);
        i += 2;
      } else if (c === '`') {
        out.push(top.text);
        templates.pop();
        i++;
      } else if (c === '$' && source[i + 1] === '{') {
        top.text += DYNAMIC;
        top.depth = depth;
        depth++;
        i += 2;
      } else {
        top.text += c;
        i++;
      }
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      i = source.indexOf('\n', i);
      if (i < 0) break;
    } else if (c === '/' && source[i + 1] === '*') {
      i = source.indexOf('*/', i + 2);
      if (i < 0) break;
      i += 2;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let text = '';
      while (j < source.length && source[j] !== c && source[j] !== '\n') {
        if (source[j] === '\\') j++;
        text += source[j];
        j++;
      }
      out.push(text);
      i = j + 1;
    } else if (c === '`') {
      templates.push({ text: '', depth: -1 });
      i++;
    } else if (c === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      depth--;
      const top = templates[templates.length - 1];
      if (top && top.depth === depth) top.depth = -1;
      i++;
    } else {
      i++;
    }
  }
  return out;
}

const SQL_WRITE =
  /(?<!\bKEY\s+)(?<!\bFOR\s+)(?<!\bON\s+)\b(?:INSERT\s+(?:IGNORE\s+)?INTO|REPLACE\s+INTO|DELETE\s+(?:\w+\s+)?FROM|UPDATE(?:\s+IGNORE)?)\s+`?(\w+)`?/gi;

/** Tables a SQL text writes (INSERT/REPLACE INTO, DELETE FROM, UPDATE; not ON DUPLICATE KEY UPDATE, FOR UPDATE). */
export function sqlWrites(sql: string): string[] {
  return [...sql.matchAll(SQL_WRITE)].map((m) => m[1]);
}

/** Entity classes declared in a source: class name → table (`@Entity('table') … class Name`). */
export function entitiesOf(source: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of source.matchAll(/@Entity\(\s*'(\w+)'[^)]*\)\s*(?:export\s+)?class\s+(\w+)/g)) found.set(m[2], m[1]);
  return found;
}

/**
 * Entity classes a source takes a TypeORM repository of or writes through an entity manager or query builder:
 * forFeature([…]), @InjectRepository(X), getRepository(X), em.insert/update/delete/upsert/save/remove/… (X, …), .into(X).
 */
export function entityAccesses(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/forFeature\(\s*\[([^\]]*)\]/g))
    names.push(
      ...m[1]
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    );
  const call =
    /\b(?:InjectRepository|getRepository|insert|update|delete|upsert|save|remove|softDelete|increment|decrement|into)\(\s*([A-Z]\w*)\b/g;
  for (const m of source.matchAll(call)) names.push(m[1]);
  return names;
}
