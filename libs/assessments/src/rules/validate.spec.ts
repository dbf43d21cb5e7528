import { ITEM_KEYS, ITEMS, type ItemKey } from './item-catalogue';
import { itemsForTotal } from './samples';
import { invalidItemKeys, normalizeConditions, validateConditions, validateItems } from './validate';

const full = (): Record<string, unknown> => ({ ...itemsForTotal(90) });

describe('validateItems', () => {
  it('accepts a complete set and returns it typed', () => {
    const r = validateItems(full());
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toEqual(itemsForTotal(90));
  });

  it('accepts every item at 0 and at its own maximum', () => {
    const zeros = Object.fromEntries(ITEM_KEYS.map((k) => [k, 0]));
    expect(validateItems(zeros).ok).toBe(true);
  });

  it.each(ITEM_KEYS.map((k) => [k] as [ItemKey]))('names %s when it is missing', (key) => {
    const items = full();
    delete items[key];
    const r = validateItems(items);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues).toEqual([expect.objectContaining({ field: `items.${key}`, code: 'MISSING' })]);
      expect(r.issues[0].message).toContain(ITEMS[key].zh);
    }
  });

  it.each(ITEM_KEYS.map((k) => [k, ITEMS[k].max + 1] as [ItemKey, number]))(
    'names %s when it is %i (one above its range)',
    (key, v) => {
      const r = validateItems({ ...full(), [key]: v });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues).toEqual([expect.objectContaining({ field: `items.${key}`, code: 'OUT_OF_RANGE' })]);
    },
  );

  it.each([
    ['stairs', 4, 'OUT_OF_RANGE'],
    ['aggression', 2, 'OUT_OF_RANGE'],
    ['depression', -1, 'OUT_OF_RANGE'],
    ['consciousness', 3, 'OUT_OF_RANGE'],
    ['vision', 2.5, 'NOT_INTEGER'],
    ['hearing', '2', 'NOT_INTEGER'],
    ['eating', true, 'NOT_INTEGER'],
    ['memory', null, 'MISSING'],
    ['walking', Number.NaN, 'NOT_INTEGER'],
    ['transportation', Number.POSITIVE_INFINITY, 'NOT_INTEGER'],
  ] as const)('rejects %s = %p as %s', (key, v, code) => {
    const r = validateItems({ ...full(), [key]: v });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toEqual([expect.objectContaining({ field: `items.${key}`, code })]);
  });

  it('reports every offending item at once, in catalogue order, and unknown keys', () => {
    const items = full();
    delete items.eating;
    items.stairs = 4;
    items.vision = 'good';
    items.extra = 1;
    const r = validateItems(items);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.map((i) => [i.field, i.code])).toEqual([
        ['items.eating', 'MISSING'],
        ['items.stairs', 'OUT_OF_RANGE'],
        ['items.vision', 'NOT_INTEGER'],
        ['items.extra', 'UNKNOWN_FIELD'],
      ]);
      expect(r.issues[1].message).toBe('items.stairs (上下楼梯) must be between 0–3, got 4');
    }
    expect(invalidItemKeys(items)).toEqual(['eating', 'stairs', 'vision', 'extra']);
  });

  it.each([undefined, null, 5, 'x', [1, 2]])('rejects %p as not an object', (v) => {
    const r = validateItems(v);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toEqual([expect.objectContaining({ field: 'items', code: 'NOT_AN_OBJECT' })]);
  });
});

describe('validateConditions', () => {
  it('fills absent flags and counts', () => {
    expect(validateConditions(undefined)).toEqual({ ok: true, value: normalizeConditions({}) });
    expect(validateConditions({ dementia: true, riskEvents30d: { falls: 2 } })).toEqual({
      ok: true,
      value: {
        coma: false,
        dementia: true,
        mentalDisorder: false,
        riskEvents30d: { falls: 2, wandering: 0, choking: 0, suicideOrSelfHarm: 0, other: 0 },
      },
    });
  });

  it('reports every bad field', () => {
    const r = validateConditions({
      coma: 'yes',
      dementia: 1,
      riskEvents30d: { falls: 4, choking: -1, wandering: 1.5, burns: 1 },
      smoker: true,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.map((i) => [i.field, i.code])).toEqual([
        ['conditions.coma', 'NOT_BOOLEAN'],
        ['conditions.dementia', 'NOT_BOOLEAN'],
        ['conditions.riskEvents30d.falls', 'OUT_OF_RANGE'],
        ['conditions.riskEvents30d.wandering', 'NOT_INTEGER'],
        ['conditions.riskEvents30d.choking', 'OUT_OF_RANGE'],
        ['conditions.riskEvents30d.burns', 'UNKNOWN_FIELD'],
        ['conditions.smoker', 'UNKNOWN_FIELD'],
      ]);
    }
  });

  it.each([5, 'x', [1]])('rejects conditions %p', (v) => {
    expect(validateConditions(v).ok).toBe(false);
  });
  it('rejects a non-object riskEvents30d', () => {
    const r = validateConditions({ riskEvents30d: 3 });
    expect(r.ok).toBe(false);
  });
});

describe('relative paths (for DTO messages)', () => {
  it('names fields without a prefix when the path is empty', () => {
    const r = validateItems({ ...itemsForTotal(90), stairs: 7, bogus: 1 }, '');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.field)).toEqual(['stairs', 'bogus']);
    const c = validateConditions({ coma: 1, riskEvents30d: { falls: 9 } }, '');
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.issues.map((i) => i.field)).toEqual(['coma', 'riskEvents30d.falls']);
    const n = validateItems(5, '');
    expect(n.ok).toBe(false);
    if (!n.ok) expect(n.issues[0].field).toBe('items');
  });
});
