/**
 * Deterministic BullMQ job ids for the jobs this library produces (BullMQ ids must not contain ':').
 * A DispatchOrder id names one dispatch round of one order: the order's `version` changes with every
 * status change, so the order is dispatched again after a decline, while a repeated enqueue of the same
 * round (a retried request, the sweeper) is a no-op.
 */
export function dispatchJobId(orderId: string, version: number): string {
  return `DispatchOrder-${orderId}-${version}`;
}

export function retryUnassignedJobId(caregiverId: string, version: number): string {
  return `RetryUnassigned-caregiver-${caregiverId}-${version}`;
}

/** The id of the job scheduler that runs GenerateVisitPlans every month (upserted at dispatcher start). */
export const VISIT_PLAN_SCHEDULER_ID = 'monthly-visit-plans';
