export * from './data/types';
export * from './data/townships';
export * from './data/facilities';
export * from './data/generate';
export * from './data/id-number';
export * from './data/prng';
export * from './seed/seed-demo';
