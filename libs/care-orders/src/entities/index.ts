export * from './service.entity';
export * from './service-point.entity';
export * from './caregiver.entity';
export * from './care-order.entity';
import { CareService } from './service.entity';
import { ServicePoint } from './service-point.entity';
import { Caregiver, CaregiverDay, CaregiverSkill } from './caregiver.entity';
import { CareOrder, CareOrderServiceRow, CareVisit, IdempotencyKey, OrderDecline } from './care-order.entity';

/** Every entity of the library, for TypeOrmModule.forFeature. */
export const CARE_ORDER_ENTITIES = [
  CareService,
  ServicePoint,
  Caregiver,
  CaregiverSkill,
  CaregiverDay,
  CareOrder,
  CareOrderServiceRow,
  OrderDecline,
  CareVisit,
  IdempotencyKey,
];
