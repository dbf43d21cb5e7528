export * from './logger';
export * from './typeorm-logger';
