import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ageOn, countyDate } from '@care/core';
import { AssessmentsService, isAbilityLevel, type ValidLevel } from '@care/assessments';
import { ResidentsService, type Resident } from '@care/residents';
import { StaysRepository } from '../stays.repository';
import { effectiveEntryStatus } from '../rules/waitlist-transitions';
import { rankWaitlist, waitlistPriority, type WaitlistLevel } from '../rules/waitlist-priority';
import type { WaitlistEntry } from './waitlist-entry.entity';
import { WaitlistRepository } from './waitlist.repository';
import { toWaitlistEntryView, type EntryResident, type WaitlistEntryView } from './waitlist.view';

/** Candidate data for ranking: resident facts read once for many entries. */
export interface ResidentFacts {
  resident: Resident;
  view: EntryResident;
  level: ValidLevel | null;
  hasActiveStay: boolean;
}

/**
 * The entry as a reader sees it at `now`: an offer past its expiry is waiting again, without its offer (the sweep
 * job writes the same later). Reads never write.
 */
export function entryAsSeen(entry: WaitlistEntry, now: Date): WaitlistEntry {
  const status = effectiveEntryStatus(entry, now);
  if (status === entry.status) return entry;
  return Object.assign(Object.create(Object.getPrototypeOf(entry) as object) as WaitlistEntry, entry, {
    status,
    offeredBedId: null,
    offeredAt: null,
    offerExpiresAt: null,
  });
}

/** Views of waitlist entries: the resident facts they need, the ranked open list, one entry. Reads only. */
@Injectable()
export class WaitlistViews {
  constructor(
    private readonly entries: WaitlistRepository,
    private readonly residents: ResidentsService,
    private readonly assessments: AssessmentsService,
    private readonly stays: StaysRepository,
  ) {}

  async residentFacts(ids: string[], now: Date, em?: EntityManager): Promise<Map<string, ResidentFacts>> {
    const result = new Map<string, ResidentFacts>();
    const unique = [...new Set(ids)];
    if (unique.length === 0) return result;
    const [residents, categories, levels, admitted] = await Promise.all([
      this.residents.byIds(unique, em),
      this.residents.categoriesOf(unique, em),
      this.assessments.validLevelsOf(unique, now, em),
      this.stays.residentsWithActiveStay(unique, em),
    ]);
    const today = countyDate(now);
    for (const r of residents) {
      result.set(r.id, {
        resident: r,
        view: {
          id: r.id,
          name: r.name,
          idNumberMasked: r.idNumberMasked,
          gender: r.gender,
          age: ageOn(r.birthDate, today),
          categories: [...(categories.get(r.id) ?? [])].sort(),
        },
        level: levels.get(r.id) ?? null,
        hasActiveStay: admitted.has(r.id),
      });
    }
    return result;
  }

  /** The facility's open entries as seen at `now`, in the policy's order, with tier, reasons, hints and position. */
  async rankedOpen(facilityId: string, now: Date): Promise<WaitlistEntryView[]> {
    const open = (await this.entries.open(facilityId)).map((e) => entryAsSeen(e, now));
    const facts = await this.residentFacts(
      open.map((e) => e.residentId),
      now,
    );
    const candidates = open
      .filter((e) => facts.has(e.residentId))
      .map((e) => {
        const f = facts.get(e.residentId)!;
        return {
          id: e.id,
          entry: e,
          facts: f,
          categories: f.view.categories,
          level: (f.level?.level ?? null) as WaitlistLevel | null,
          age: f.view.age,
          appliedAt: e.appliedAt,
        };
      });
    return rankWaitlist(candidates).map((r) =>
      toWaitlistEntryView(r.entry.entry, r.entry.facts.view, r.entry.level, {
        tier: r.tier,
        reasons: r.reasons,
        hints: r.hints,
        position: r.position,
      }),
    );
  }

  /** Views of entries outside the ranked list (closed ones), with the tier they would have now. */
  async unranked(entries: WaitlistEntry[], now: Date): Promise<WaitlistEntryView[]> {
    const facts = await this.residentFacts(
      entries.map((e) => e.residentId),
      now,
    );
    return entries
      .filter((e) => facts.has(e.residentId))
      .map((e) => {
        const f = facts.get(e.residentId)!;
        const level = f.level && isAbilityLevel(f.level.level) ? (f.level.level as WaitlistLevel) : null;
        const p = waitlistPriority({
          id: e.id,
          categories: f.view.categories,
          level,
          age: f.view.age,
          appliedAt: e.appliedAt,
        });
        return toWaitlistEntryView(entryAsSeen(e, now), f.view, level, { ...p, position: null });
      });
  }

  /** One entry's view; an open one carries its position in the facility's list. */
  async entryView(entryId: string, now: Date): Promise<WaitlistEntryView> {
    const entry = await this.entries.find(entryId);
    if (!entry) throw new Error(`waitlist entry ${entryId} vanished`);
    if (entry.status === 'waiting' || entry.status === 'offered') {
      const found = (await this.rankedOpen(entry.facilityId, now)).find((v) => v.id === entryId);
      if (found) return found;
    }
    const [view] = await this.unranked([entry], now);
    return view;
  }
}
