import { InvalidTransitionError } from '@care/core';
import { STAY_STATUSES } from '../stay.entity';
import { STAY_INITIAL_STATUS, STAY_TRANSITIONS, nextStayStatus, transitionStay } from './stay-transitions';

describe('stay transitions', () => {
  it('covers every stay status of the entity', () => {
    expect(Object.keys(STAY_TRANSITIONS).sort()).toEqual([...STAY_STATUSES].sort());
    expect(STAY_INITIAL_STATUS).toBe('active');
  });

  it('an active stay transfers (staying active) or is discharged', () => {
    expect(transitionStay('active', 'transfer')).toBe('active');
    expect(transitionStay('active', 'discharge')).toBe('discharged');
  });

  it('a discharged stay is final', () => {
    expect(nextStayStatus('discharged', 'transfer')).toBeNull();
    expect(() => transitionStay('discharged', 'discharge')).toThrow(InvalidTransitionError);
    expect(() => transitionStay('discharged', 'transfer')).toThrow(
      'Stay in status "discharged" does not allow "transfer"',
    );
  });
});
