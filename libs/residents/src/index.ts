export * from './resident.entity';
export * from './residents.module';
export { ResidentsService, residentIdSql, type ResidentKey } from './residents.service';
export { LATEST_ASSESSMENT_PROVIDER, type LatestAssessmentProvider } from './latest-assessment';
export { toResidentView, type ResidentView, type ResidentDetailView } from './resident.view';
export * from './rules/id-number';
export type { ResidentRef } from './resident-ref';
export * from './rules/data-key-rotation';
export { rotateDataKey, type RotateDataKeyOptions } from './key-rotation/rotate-data-key';
