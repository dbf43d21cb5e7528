export * from './travel-time';
