export * from './audit-context';
