import { JOB_CATALOGUE } from '@care/core';
import { CURRENT_MONTH } from '../rules/visit-plan';

describe('the scheduled visit plans', () => {
  it('carry the month sentinel the visit plans read as the month the job runs in', () => {
    expect(JOB_CATALOGUE.GenerateVisitPlans.schedule?.data).toEqual({ month: CURRENT_MONTH });
  });
});
