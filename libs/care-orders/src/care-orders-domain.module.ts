import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RegionsModule } from '@care/regions';
import { CARE_ORDER_ENTITIES } from './entities';
import { CaregiversService } from './services/caregivers.service';
import { CareOrdersService } from './services/care-orders.service';
import { CatalogueService } from './services/catalogue.service';
import { DispatchEnqueuer } from './services/dispatch-enqueuer.service';
import { OrderActionsService } from './services/order-actions.service';
import { ServicePointsService } from './services/service-points.service';
import { VisitPlansService } from './services/visit-plans.service';

const SERVICES = [
  CatalogueService,
  DispatchEnqueuer,
  ServicePointsService,
  CaregiversService,
  CareOrdersService,
  OrderActionsService,
  VisitPlansService,
];

/** The library's services without HTTP or job handlers: shared by the api module and the jobs module. */
@Module({
  imports: [TypeOrmModule.forFeature(CARE_ORDER_ENTITIES), RegionsModule],
  providers: SERVICES,
  exports: [TypeOrmModule, ...SERVICES],
})
export class CareOrdersDomainModule {}
