/**
 * @care/dispatch/test-support: generated county days and weeks, and their seeding into MySQL, for the tests and the
 * benchmarks (not part of the library: nothing in production imports them, and they are not built into dist).
 */
export * from './county-day.generator';
export * from './county-week.generator';
export * from './county-day.seed';
export * from './dispatch-audit';
