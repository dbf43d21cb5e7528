/**
 * Optional observer of dispatch decisions (the dispatcher's metrics bind it; tests and the api leave it out). The
 * job handlers report, per job, how many orders got each outcome and how long the job took.
 */
export const DISPATCH_DECISIONS = Symbol('DISPATCH_DECISIONS');

export type DispatchDecisionOutcome = 'assigned' | 'unassigned' | 'skipped' | 'failed';
export type DispatchDecisionJob = 'DispatchOrder' | 'DispatchBatch' | 'DispatchRound';

export interface DispatchDecisions {
  decided(job: DispatchDecisionJob, outcomes: Partial<Record<DispatchDecisionOutcome, number>>, seconds: number): void;
}
