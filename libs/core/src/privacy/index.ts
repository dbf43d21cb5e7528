export * from './id-number-mask';
