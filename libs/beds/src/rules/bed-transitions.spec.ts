import { InvalidTransitionError } from '@care/core';
import { BED_STATUSES } from '../bed.entity';
import {
  BED_ACTIONS,
  BED_TRANSITIONS,
  SET_BED_STATUS_ACTION,
  allowedBedActions,
  nextBedStatus,
  transitionBed,
} from './bed-transitions';

describe('bed transitions', () => {
  it('covers every bed status of the entity', () => {
    expect(Object.keys(BED_TRANSITIONS).sort()).toEqual([...BED_STATUSES].sort());
  });

  it('a stay moves a free bed to occupied and back', () => {
    expect(transitionBed('vacant', 'occupy')).toBe('occupied');
    expect(transitionBed('reserved', 'occupy')).toBe('occupied');
    expect(transitionBed('occupied', 'vacate')).toBe('vacant');
  });

  it('an offer reserves a vacant bed (or one whose reservation lapsed), and its end releases it', () => {
    expect(transitionBed('vacant', 'reserve')).toBe('reserved');
    expect(transitionBed('reserved', 'reserve')).toBe('reserved');
    expect(transitionBed('reserved', 'release')).toBe('vacant');
    expect(nextBedStatus('vacant', 'release')).toBeNull();
    expect(nextBedStatus('maintenance', 'reserve')).toBeNull();
    expect(nextBedStatus('closed', 'occupy')).toBeNull();
  });

  it('an occupied bed changes only through its stay', () => {
    expect(allowedBedActions('occupied')).toEqual(['vacate']);
    for (const action of ['set_vacant', 'set_maintenance', 'close', 'reserve', 'occupy'] as const)
      expect(() => transitionBed('occupied', action)).toThrow(InvalidTransitionError);
  });

  it('a person moves a bed that holds no stay among vacant, maintenance and closed', () => {
    for (const from of ['vacant', 'reserved', 'maintenance', 'closed'] as const) {
      expect(transitionBed(from, SET_BED_STATUS_ACTION.vacant)).toBe('vacant');
      expect(transitionBed(from, SET_BED_STATUS_ACTION.maintenance)).toBe('maintenance');
      expect(transitionBed(from, SET_BED_STATUS_ACTION.closed)).toBe('closed');
    }
  });

  it('names the refused move', () => {
    expect(() => transitionBed('vacant', 'vacate')).toThrow('Bed in status "vacant" does not allow "vacate"');
    for (const s of BED_STATUSES)
      for (const a of BED_ACTIONS) expect(nextBedStatus(s, a) === null).toBe(!allowedBedActions(s).includes(a));
  });
});
