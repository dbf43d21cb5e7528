import {
  catalogueOf,
  DEFAULT_CATALOGUE,
  DEFAULT_SERVICES,
  hasSkills,
  orderDurationMinutes,
  requiredSkills,
  UnknownServiceError,
} from './catalogue';

describe('service catalogue', () => {
  it('holds the 11 services of domain.md §5 with their default minutes and skills', () => {
    expect(DEFAULT_SERVICES).toHaveLength(11);
    expect(DEFAULT_CATALOGUE.get('medical_escort')).toEqual({
      code: 'medical_escort',
      defaultMinutes: 120,
      skill: 'escort',
    });
    expect(DEFAULT_CATALOGUE.get('companionship')?.skill).toBeNull();
    expect(DEFAULT_CATALOGUE.get('errand')?.skill).toBeNull();
  });
});

describe('orderDurationMinutes', () => {
  it('sums the services’ default minutes: monthly visit 15 + 15 + 60 = 90', () => {
    expect(orderDurationMinutes({ services: ['health_check', 'safety_check', 'home_cleaning'] })).toBe(90);
    expect(orderDurationMinutes({ services: ['health_check', 'safety_check', 'laundry'] })).toBe(75);
  });

  it('takes durationMinutes when given', () => {
    expect(orderDurationMinutes({ services: ['bathing'], durationMinutes: 40 })).toBe(40);
    expect(orderDurationMinutes({ services: ['bathing'], durationMinutes: null })).toBe(60);
  });

  it('uses the catalogue it is given (a bureau may change default minutes)', () => {
    const local = catalogueOf([...DEFAULT_SERVICES, { code: 'bathing', defaultMinutes: 75, skill: 'personal_care' }]);
    expect(orderDurationMinutes({ services: ['bathing'] }, local)).toBe(75);
  });

  it('rejects an unknown service and a non-positive duration', () => {
    expect(() => orderDurationMinutes({ services: ['massage'] })).toThrow(UnknownServiceError);
    expect(() => orderDurationMinutes({ services: ['massage'], durationMinutes: 30 })).toThrow(UnknownServiceError);
    expect(() => orderDurationMinutes({ services: ['bathing'], durationMinutes: 0 })).toThrow(RangeError);
  });
});

describe('requiredSkills', () => {
  it('lists each needed skill once; services without a skill need none', () => {
    expect(requiredSkills({ services: ['health_check', 'safety_check', 'laundry'] })).toEqual([
      'housekeeping',
      'health',
    ]);
    expect(requiredSkills({ services: ['companionship', 'errand'] })).toEqual([]);
    expect(requiredSkills({ services: ['rehab_care', 'bathing'] })).toEqual(['personal_care', 'nursing']);
  });

  it('hasSkills needs every skill', () => {
    expect(hasSkills(['housekeeping', 'health'], ['housekeeping', 'health'])).toBe(true);
    expect(hasSkills(['housekeeping'], ['housekeeping', 'health'])).toBe(false);
    expect(hasSkills([], [])).toBe(true);
  });
});
