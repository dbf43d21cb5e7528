export * from './domain-error';
export * from './domain-exception.filter';
export * from './outage';
export * from './error-tag';
