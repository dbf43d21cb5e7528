/**
 * When kept coverage counts can be served as they are, and when a township must be recomputed first. Pure.
 *
 * A township's counts for a month stay exact until
 * - a row they are computed from changes. Rows carry `updated_at`, but a row updated just before a refresh
 *   started may commit only after it, so "updated after the refresh started" is not enough. A refresh therefore
 *   also records, per source and township, a signature of the rows updated in the lag window before it started
 *   ({@link WindowSignatures}: their count and the sum of their updated_at); later, a township is changed when it
 *   has rows updated after the refresh started, or its window's signature differs from the one seen. A count alone
 *   misses a row already in the window that is updated again by a transaction committing late (its new updated_at
 *   still in the window, the count unchanged); the sum moves with any row's updated_at. Rows are never deleted;
 * - the clock alone changes them: an assessment expires or an elder turns 60. Each kept row carries the first
 *   such instant after its `asOf` (`changesAt`), so a row is due once the period's `asOf` has reached it.
 */
import { countyMidnightOf } from '@care/core/time';

/** The sources of the figures; facilities may move counts between townships, caregivers and points the circles. */
export type ChangeSource =
  | 'facilities'
  | 'beds'
  | 'stays'
  | 'residents'
  | 'assessments'
  | 'assessment_stays'
  | 'visits'
  | 'caregivers'
  | 'service_points';

/**
 * Rows updated per `source:township` key: in the window before the last check started (how many, and the sum of
 * their updated_at in microseconds since 2000, a decimal string: it outgrows a double), and after it.
 */
export type SourceChanges = ReadonlyMap<
  string,
  { readonly inWindow: number; readonly windowSum: string; readonly after: number }
>;
/**
 * Per `source:township` key, the signature (`<count>:<sum of updated_at>`) of the rows updated in the window before
 * a refresh started, as that refresh saw them. (Kept in stats_coverage_months.window_counts; a value kept by an
 * earlier version, a bare count, matches no signature, so its township is recomputed once.)
 */
export type WindowSignatures = Readonly<Record<string, string | number>>;

const EMPTY_WINDOW = '0:0';
const windowSignature = (count: { readonly inWindow: number; readonly windowSum: string }): string =>
  count.inWindow === 0 ? EMPTY_WINDOW : `${count.inWindow}:${count.windowSum}`;

export const changeKey = (source: ChangeSource, township: string): string => `${source}:${township}`;

export interface Changed {
  readonly townships: ReadonlySet<string>;
  /** A facility changed: it may have moved counts between townships, so every township is recomputed. */
  readonly all: boolean;
  /** Caregivers or service points changed: the circles may have (the caller compares their signature). */
  readonly servicePoints: boolean;
}

/**
 * What changed since a refresh that saw `seen` in its window, given the rows updated since that window began (the
 * same window: both are taken from the refresh's start).
 */
export function changedSince(now: SourceChanges, seen: WindowSignatures): Changed {
  const townships = new Set<string>();
  let all = false;
  let servicePoints = false;
  const mark = (key: string) => {
    const [source, township] = key.split(':') as [ChangeSource, string];
    if (source === 'facilities') all = true;
    else if (source === 'caregivers' || source === 'service_points') servicePoints = true;
    else townships.add(township);
  };
  for (const [key, count] of now) {
    if (count.after === 0 && windowSignature(count) === String(seen[key] ?? EMPTY_WINDOW)) continue;
    mark(key);
  }
  // rows the refresh saw in a key's window that are in none now: they moved to another township (a late commit)
  for (const key of Object.keys(seen)) if (!now.has(key) && String(seen[key]) !== EMPTY_WINDOW) mark(key);
  return { townships, all, servicePoints };
}

/** The window signatures a refresh records (the window part of what it saw when it started). */
export function windowSignatures(now: SourceChanges): WindowSignatures {
  return Object.fromEntries([...now].filter(([, c]) => c.inWindow > 0).map(([key, c]) => [key, windowSignature(c)]));
}

export interface KeptTownship {
  /** The first instant after the counts' asOf at which they change without any write; null: never. */
  readonly changesAt: Date | null;
}

export interface DueQuery {
  /** Every township, in report order. */
  readonly townships: readonly string[];
  readonly kept: ReadonlyMap<string, KeptTownship>;
  /** Townships whose source rows changed since the counts were computed, or 'all'. */
  readonly changed: ReadonlySet<string> | 'all';
  /** The instant the figures are wanted for. */
  readonly asOf: Date;
}

/** The townships to recompute before the kept counts hold at `asOf`, in the order of `townships`. */
export function dueTownships({ townships, kept, changed, asOf }: DueQuery): string[] {
  if (changed === 'all') return [...townships];
  return townships.filter((code) => {
    const row = kept.get(code);
    return !row || changed.has(code) || (row.changesAt !== null && row.changesAt.getTime() <= asOf.getTime());
  });
}

/**
 * The instant someone born on `birthDate` (YYYY-MM-DD) reaches `age`: 00:00 county time on the birthday; born on
 * 29 February, the 1st of March of a year without one.
 */
export function reachesAgeAt(birthDate: string, age = 60): Date {
  const [y, m, d] = birthDate.split('-').map(Number);
  return countyMidnightOf(y + age, m, d);
}

/** The earliest of some instants, ignoring null; null when there are none. */
export function earliest(...instants: (Date | null | undefined)[]): Date | null {
  let best: Date | null = null;
  for (const at of instants) if (at && (!best || at.getTime() < best.getTime())) best = at;
  return best;
}
