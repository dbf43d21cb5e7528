import { strFromU8, unzipSync } from 'fflate';

/**
 * A small xlsx reader for tests: each sheet's cells as values (shared strings, inline strings, numbers, booleans),
 * rows and columns 0-based, missing cells null. Enough to read back what an export wrote, not a spreadsheet engine.
 */
export type XlsxValue = string | number | boolean | null;

export interface XlsxReadSheet {
  name: string;
  rows: XlsxValue[][];
}

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_m, entity: string) => {
    if (entity[0] === '#')
      return String.fromCodePoint(entity[1] === 'x' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity] ?? '';
  });
}

/** The text of every <t> in a fragment (a rich-text string has several runs). */
function textOf(fragment: string): string {
  return [...fragment.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)]
    .map((m) => unescapeXml(m[1] ?? ''))
    .join('');
}

function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)?.[0] ?? 'A';
  return [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
}

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

export function readXlsx(file: Uint8Array): XlsxReadSheet[] {
  const files = unzipSync(file);
  const text = (path: string): string => {
    const entry = files[path];
    if (!entry) throw new Error(`xlsx: ${path} missing`);
    return strFromU8(entry);
  };
  const shared = files['xl/sharedStrings.xml']
    ? [...text('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => textOf(m[1]))
    : [];
  const rels = new Map(
    [...text('xl/_rels/workbook.xml.rels').matchAll(/<Relationship\b[^>]*>/g)].map((m) => [
      attr(m[0], 'Id'),
      attr(m[0], 'Target'),
    ]),
  );
  return [...text('xl/workbook.xml').matchAll(/<sheet\b[^>]*>/g)].map((m) => {
    const target = rels.get(attr(m[0], 'r:id')) ?? '';
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
    const rows: XlsxValue[][] = [];
    for (const row of text(path).matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
      const r = Number(attr(row[0], 'r') ?? rows.length + 1) - 1;
      const cells: XlsxValue[] = [];
      for (const cell of (row[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const open = `<c${cell[1]}>`;
        const c = columnIndex(attr(open, 'r') ?? columnName(cells.length));
        const type = attr(open, 't');
        const body = cell[2] ?? '';
        const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
        let value: XlsxValue = null;
        if (type === 'inlineStr') value = textOf(body);
        else if (type === 's') value = v === undefined ? null : (shared[Number(v)] ?? null);
        else if (type === 'str' || type === 'e') value = v === undefined ? null : unescapeXml(v);
        else if (type === 'b') value = v === '1';
        else if (v !== undefined) value = Number(v);
        while (cells.length < c) cells.push(null);
        cells[c] = value;
      }
      while (rows.length < r) rows.push([]);
      rows[r] = cells;
    }
    return { name: unescapeXml(attr(m[0], 'name') ?? ''), rows };
  });
}

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
