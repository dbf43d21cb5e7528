import { assessmentDetailFor } from './detail-access';

describe('assessment detail by role', () => {
  it('admin and manager see it all; dispatcher, bureau and anyone else the level only', () => {
    expect(assessmentDetailFor('admin')).toBe('full');
    expect(assessmentDetailFor('manager')).toBe('full');
    for (const role of ['dispatcher', 'bureau', 'caregiver', 'integration', 'unknown']) {
      expect(assessmentDetailFor(role)).toBe('level');
    }
  });
});
