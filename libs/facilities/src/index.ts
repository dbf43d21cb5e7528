export * from './facility.entity';
export * from './facilities.module';
export { FacilitiesService } from './facilities.service';
export { toFacilityView, type FacilityView } from './facility.view';
