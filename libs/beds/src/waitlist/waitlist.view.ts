import { toCountyIso } from '@care/core';
import { LEVEL_NAMES, isAbilityLevel } from '@care/assessments';
import type { WaitlistHint, WaitlistReason, WaitlistTier } from '../rules/waitlist-priority';
import { WAITLIST_TIER_NAMES } from '../rules/waitlist-priority';
import type { WaitlistEntry } from './waitlist-entry.entity';

export interface EntryResident {
  id: string;
  name: string;
  idNumberMasked: string;
  gender: string;
  age: number;
  categories: string[];
}

export interface EntryPriority {
  tier: WaitlistTier;
  reasons: readonly WaitlistReason[];
  hints: readonly WaitlistHint[];
  /** Place in the facility's open list (1 = next), null for a closed entry. */
  position: number | null;
}

export function toWaitlistEntryView(e: WaitlistEntry, resident: EntryResident, level: number | null, p: EntryPriority) {
  return {
    id: e.id,
    facilityId: e.facilityId,
    residentId: e.residentId,
    resident,
    status: e.status,
    appliedAt: toCountyIso(e.appliedAt),
    note: e.note,
    /** The resident's valid ability level now, or null without a valid assessment. */
    level,
    levelName: level !== null && isAbilityLevel(level) ? LEVEL_NAMES[level].zhShort : null,
    /** Priority tier 1 (best) – 4 of shared/spec/domain.md §3. */
    priority: p.tier,
    priorityName: WAITLIST_TIER_NAMES[p.tier],
    position: p.position,
    reasons: p.reasons,
    hints: p.hints,
    offer:
      e.status === 'offered' && e.offeredBedId
        ? { bedId: e.offeredBedId, offeredAt: toCountyIso(e.offeredAt), expiresAt: toCountyIso(e.offerExpiresAt) }
        : null,
    closedAt: toCountyIso(e.closedAt),
    closeReason: e.closeReason,
    closeNote: e.closeNote,
    stayId: e.stayId,
    createdAt: toCountyIso(e.createdAt),
  };
}
export type WaitlistEntryView = ReturnType<typeof toWaitlistEntryView>;
