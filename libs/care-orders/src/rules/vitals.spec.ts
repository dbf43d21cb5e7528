import { vitalsProblems } from './vitals';

describe('vitals', () => {
  it('accepts plausible values and an empty record', () => {
    expect(vitalsProblems({})).toEqual([]);
    expect(
      vitalsProblems({ systolic: 135, diastolic: 85, heartRate: 72, bloodGlucose: 6.1, temperature: 36.6 }),
    ).toEqual([]);
    expect(vitalsProblems({ systolic: 60, diastolic: 30, heartRate: 25, bloodGlucose: 1, temperature: 34 })).toEqual(
      [],
    );
  });

  it('names every implausible field', () => {
    const problems = vitalsProblems({ systolic: 400, diastolic: 10, heartRate: 0, bloodGlucose: 99, temperature: 3 });
    expect(problems).toHaveLength(5);
    for (const key of ['systolic', 'diastolic', 'heartRate', 'bloodGlucose', 'temperature']) {
      expect(problems.join('\n')).toMatch(new RegExp(`vitals\\.${key}: must be between`));
    }
  });

  it('wants whole numbers for pressures and pulse', () => {
    expect(vitalsProblems({ heartRate: 72.5 })).toEqual(['vitals.heartRate: must be a whole number']);
  });

  it('diastolic must be below systolic', () => {
    expect(vitalsProblems({ systolic: 90, diastolic: 95 })).toEqual([
      'vitals.diastolic: must be below vitals.systolic',
    ]);
  });
});
