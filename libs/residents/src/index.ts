export * from './resident.entity';
export * from './residents.module';
export { ResidentsService } from './residents.service';
export { LATEST_ASSESSMENT_PROVIDER, type LatestAssessmentProvider } from './latest-assessment';
export { toResidentView, type ResidentView, type ResidentDetailView } from './resident.view';
export * from './rules/id-number';
export type { ResidentRef } from './resident-ref';
