export * from './base.entity';
export * from './data-source-options';
export * from './mysql-errors';
export * from './transaction-runner';
export * from './time';
export * from './transformers';
export * from './preflight';
export * from './schema';
