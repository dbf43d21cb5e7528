export * from './waitlist-entry.entity';
export * from './waitlist.module';
export { WaitlistJobsModule, RELEASE_EXPIRED_OFFERS_SCHEDULER_ID } from './waitlist-jobs.module';
export {
  WaitlistService,
  type OfferResult,
  type BedRecommendationsView,
  type MismatchReport,
  type MismatchItem,
} from './waitlist.service';
export { AdmissionRules } from './admission-rules';
export { toWaitlistEntryView, type WaitlistEntryView } from './waitlist.view';
