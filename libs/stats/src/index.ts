export * from './rules/bed-counts';
export * from './rules/indicators';
export * from './rules/next-steps';
export * from './rules/period';
export { StatsModule } from './stats.module';
export { StatsJobsModule, SNAPSHOT_CRON, SNAPSHOT_SCHEDULER_ID } from './jobs/stats-jobs.module';
export { CoverageService, type CoverageReport, type NextStepsReport, type HistoryReport } from './coverage.service';
export { CoverageRepository, PointGrid } from './coverage.repository';
export { exportCoverage, EXPORT_HEADERS, INDICATOR_NAMES } from './export';
