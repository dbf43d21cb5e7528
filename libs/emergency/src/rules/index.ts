export * from './alerts';
export * from './calls';
