/**
 * Which residents a response shows: the ids a read event lists. Pure, no Nest.
 *
 * Looked for, at any depth up to MAX_DEPTH: `residentId` and `reservedForResidentId` values, and the `id` of an
 * object under a `resident` key. With `residents: true` the response's own objects are residents (a resident, a
 * list's `items`, or an array of them), so their `id` counts too.
 */
const MAX_DEPTH = 6;
const RESIDENT_ID_KEYS = new Set(['residentId', 'reservedForResidentId']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function residentIdsIn(body: unknown, options: { residents?: boolean } = {}): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (RESIDENT_ID_KEYS.has(key) && typeof child === 'string' && child) found.add(child);
      else if (key === 'resident' && isRecord(child) && typeof child.id === 'string' && child.id) {
        found.add(child.id);
        visit(child, depth + 1);
      } else if (typeof child === 'object') visit(child, depth + 1);
    }
  };
  if (options.residents) {
    const own = isRecord(body) && Array.isArray(body.items) ? body.items : Array.isArray(body) ? body : [body];
    for (const item of own) if (isRecord(item) && typeof item.id === 'string' && item.id) found.add(item.id);
  }
  visit(body, 0);
  return [...found];
}

/** Ids in a request's path parameters (`:id`, `:facilityId`, ...): UUIDs and numeric ids, nothing else. */
export function idsInParams(params: Record<string, unknown> | undefined): { ids: string[]; residentIds: string[] } {
  const ids: string[] = [];
  const residentIds: string[] = [];
  for (const [key, value] of Object.entries(params ?? {})) {
    if (typeof value !== 'string' || !/^([0-9a-f-]{36}|\d{1,20})$/i.test(value)) continue;
    if (key === 'residentId') residentIds.push(value);
    else ids.push(value);
  }
  return { ids, residentIds };
}

/** A `residentId` (or `residentIds`) given in a write's body: the resident the write is about. */
export function residentIdsInBody(body: unknown): string[] {
  if (!isRecord(body)) return [];
  const out: string[] = [];
  const single = body.residentId;
  if (typeof single === 'string' && /^[0-9a-f-]{36}$/i.test(single)) out.push(single);
  const many = body.residentIds;
  if (Array.isArray(many))
    for (const id of many) if (typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) out.push(id);
  return out;
}
