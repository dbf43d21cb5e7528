export * from './eligibility';
export * from './stats-change';
