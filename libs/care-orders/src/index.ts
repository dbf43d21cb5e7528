/** @care/care-orders: doorstep care orders, caregivers, service points, the service catalogue, visit plans. */
export * from './entities';
export * from './rules';
export * from './care-orders.module';
export * from './care-orders-domain.module';
export * from './caregiver-lookup.module';
export * from './jobs/care-orders-jobs.module';
export { CatalogueService } from './services/catalogue.service';
export {
  CaregiversService,
  type CaregiverView,
  type ScheduleView,
  type ScheduleVisitView,
} from './services/caregivers.service';
export {
  CareOrdersService,
  orderScope,
  type CreateOrderOptions,
  type CreatedOrder,
} from './services/care-orders.service';
export { CreateCareOrderDto } from './dto/care-order.dto';
export { ServicePointsService, type NewServicePoint } from './services/service-points.service';
export { insertSeededOrders, type SeededOrder, type SeededVisit } from './services/seeded-orders';
export { OrderActionsService } from './services/order-actions.service';
export { VisitPlansService, type VisitPlanResult } from './services/visit-plans.service';
export { DispatchEnqueuer } from './services/dispatch-enqueuer.service';
export {
  RELEASED,
  RELEASED_FIELDS,
  applyTransition,
  insertCaregiverDays,
  insertOrderDecline,
  lockOrder,
  requeueUnassignedOrders,
  writeOrderStatus,
  writeOrderStatusMany,
  writeTravelMinutes,
  writeTravelMinutesMany,
  type OrderPatch,
  type OrderStatusWrite,
  type OrderVersion,
} from './services/order-writes';
export { residentFacts, type ResidentFacts } from './services/resident-facts';
export { orderViews, type CareOrderView, type VisitView } from './services/order-views';
export { loadServiceCatalogue } from './reference-data';
export { QUEUE_BOARD_PATH } from './board/queue-board';
