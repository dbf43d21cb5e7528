export * from './county-time';
