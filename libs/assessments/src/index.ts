export * from './assessment.entity';
export * from './assessments.module';
export { AssessmentsService, type ValidLevel, type DueListItem } from './assessments.service';
export { toAssessmentSummary, toAssessmentView, type AssessmentSummary, type AssessmentView } from './assessment.view';
export * from './rules';
export { LatestAssessments, LatestAssessmentModule } from './latest-assessments';
