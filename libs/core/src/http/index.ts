export * from './auth-context';
export * from './pagination';
export * from './validation';
export * from './request-log';
export * from './security-headers';
