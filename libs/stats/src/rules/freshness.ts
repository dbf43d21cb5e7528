/**
 * When kept coverage counts can be served as they are, what a change read from the outbox does to them, and when a
 * township must be counted again first. Pure.
 *
 * A township's counts for a month stay exact until
 * - a row they are computed from changes. The library that owns the row writes an outbox row (`stats_changes`, see
 *   `statsChangeStatement` of ../outbox) in the same transaction: either the change to each count it moves by a
 *   known amount (applied to the kept counts), or "count this township again" (null township: every township);
 *   a possible change of the service circles makes statistics compare them, and count every township again if
 *   they changed. Rows are consumed in one transaction with the kept counts they change, so none is applied twice
 *   nor lost (see KeptFiguresRepository.consume);
 * - the clock alone changes them: an assessment expires or an elder turns 60. Each kept row carries the first
 *   such instant after its `asOf` (`changesAt`), so a row is due once the period's `asOf` has reached it.
 */
import { countyMidnightOf } from '@care/core/time';
import type { ResidentFacts } from '../outbox';
import type { CoverageCounts } from './indicators';

/** One outbox row as statistics read it. */
export interface OutboxChange {
  readonly id: string;
  /** null: every township. */
  readonly regionCode: string | null;
  /** null: every month still kept open. */
  readonly month: string | null;
  readonly source: string;
  readonly recompute: boolean;
  readonly bedsInService: number;
  readonly nursingBeds: number;
  /** A resident's facts before (−1) or after (+1) a change (rows written before markers, and markers read); 0: none. */
  readonly sign: number;
  readonly facts: ResidentFacts | null;
  /** A marker: this resident's facts may have changed (statistics read them, and compare with those they counted). */
  readonly residentId: string | null;
}

/** What the outbox rows mean for one kept month. */
export interface MonthChanges {
  /** Townships to count again from the tables, or 'all'. */
  readonly recompute: ReadonlySet<string> | 'all';
  /** Per township, the counts to add to the kept ones (townships counted again aside). */
  readonly deltas: ReadonlyMap<string, Pick<CoverageCounts, 'bedsInService' | 'nursingBeds'>>;
  /** A row said the service circles may have changed. */
  readonly circles: boolean;
  /** Residents' facts before (−1) and after (+1) changes, to count and add (townships counted again aside). */
  readonly residents: readonly { readonly sign: 1 | -1; readonly facts: ResidentFacts }[];
  /** Residents whose facts may have changed (markers): the consumer reads their facts and turns them into the above. */
  readonly marked: ReadonlySet<string>;
}

/**
 * The outbox rows that apply to `month` (theirs, or every open month's), folded into what to do. Residents'
 * facts that do not reach back to the month's `start` name their townships to count again.
 */
export function monthChanges(changes: readonly OutboxChange[], month: string, start?: Date): MonthChanges {
  const recompute = new Set<string>();
  let all = false;
  let circles = false;
  const deltas = new Map<string, { bedsInService: number; nursingBeds: number }>();
  const residents: { sign: 1 | -1; facts: ResidentFacts }[] = [];
  const marked = new Set<string>();
  for (const c of changes) {
    if (c.month !== null && c.month !== month) continue;
    if (c.residentId !== null) {
      marked.add(c.residentId);
      continue;
    }
    if (c.facts && c.sign !== 0) {
      if (start && c.facts.since <= start.getTime()) residents.push({ sign: c.sign > 0 ? 1 : -1, facts: c.facts });
      else for (const code of [c.facts.region, ...(c.facts.stays ?? []).map((x) => x[0])]) recompute.add(code);
      continue;
    }
    if (c.source === 'service_circles') circles = true;
    else if (c.recompute && c.regionCode === null) all = true;
    else if (c.regionCode === null) continue;
    else if (c.recompute) recompute.add(c.regionCode);
    else {
      const d = deltas.get(c.regionCode) ?? { bedsInService: 0, nursingBeds: 0 };
      d.bedsInService += c.bedsInService;
      d.nursingBeds += c.nursingBeds;
      deltas.set(c.regionCode, d);
    }
  }
  return { recompute: all ? 'all' : recompute, deltas, circles, residents, marked };
}

/** Kept counts with a change applied. */
export function applyDeltas(
  counts: CoverageCounts,
  delta: Pick<CoverageCounts, 'bedsInService' | 'nursingBeds'>,
): CoverageCounts {
  return {
    ...counts,
    bedsInService: counts.bedsInService + delta.bedsInService,
    nursingBeds: counts.nursingBeds + delta.nursingBeds,
  };
}

export interface KeptTownship {
  /** The first instant after the counts' asOf at which they change without any write; null: never. */
  readonly changesAt: Date | null;
}

export interface DueQuery {
  /** Every township, in report order. */
  readonly townships: readonly string[];
  readonly kept: ReadonlyMap<string, KeptTownship>;
  /** Townships the outbox says to count again, or 'all'. */
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
