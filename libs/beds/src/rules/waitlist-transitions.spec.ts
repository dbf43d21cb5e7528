import { InvalidTransitionError } from '@care/core';
import { WAITLIST_STATUSES } from '../waitlist/waitlist-entry.entity';
import {
  WAITLIST_INITIAL_STATUS,
  WAITLIST_TRANSITIONS,
  effectiveEntryStatus,
  isOpenEntryStatus,
  nextEntryStatus,
  transitionEntry,
} from './waitlist-transitions';

describe('waitlist entry transitions', () => {
  it('covers every entry status of the entity', () => {
    expect(Object.keys(WAITLIST_TRANSITIONS).sort()).toEqual([...WAITLIST_STATUSES].sort());
    expect(WAITLIST_INITIAL_STATUS).toBe('waiting');
  });

  it('an offer and its expiry move between waiting and offered', () => {
    expect(transitionEntry('waiting', 'offer')).toBe('offered');
    expect(transitionEntry('offered', 'expire')).toBe('waiting');
    expect(nextEntryStatus('offered', 'offer')).toBeNull();
    expect(nextEntryStatus('waiting', 'expire')).toBeNull();
  });

  it('an open entry closes by admission here, placement elsewhere or cancellation', () => {
    for (const from of ['waiting', 'offered'] as const) {
      expect(transitionEntry(from, 'admit')).toBe('admitted');
      expect(transitionEntry(from, 'admitted_elsewhere')).toBe('cancelled');
      expect(transitionEntry(from, 'cancel')).toBe('cancelled');
      expect(isOpenEntryStatus(from)).toBe(true);
    }
  });

  it('closed entries are final', () => {
    for (const from of ['admitted', 'cancelled'] as const) {
      expect(isOpenEntryStatus(from)).toBe(false);
      expect(() => transitionEntry(from, 'cancel')).toThrow(InvalidTransitionError);
    }
    expect(() => transitionEntry('admitted', 'cancel')).toThrow(
      'Waitlist entry in status "admitted" does not allow "cancel"',
    );
  });

  it('a reader sees an offer past its expiry as waiting, without writing', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    const past = new Date(now.getTime() - 1);
    const future = new Date(now.getTime() + 1);
    expect(effectiveEntryStatus({ status: 'offered', offerExpiresAt: past }, now)).toBe('waiting');
    expect(effectiveEntryStatus({ status: 'offered', offerExpiresAt: now }, now)).toBe('waiting');
    expect(effectiveEntryStatus({ status: 'offered', offerExpiresAt: future }, now)).toBe('offered');
    expect(effectiveEntryStatus({ status: 'admitted', offerExpiresAt: null }, now)).toBe('admitted');
  });
});
