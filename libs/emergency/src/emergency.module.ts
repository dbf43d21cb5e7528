import { Module } from '@nestjs/common';
import { CareOrdersDomainModule } from '@care/care-orders';
import { AlertsService } from './alerts.service';
import { EmergencyCallsService } from './emergency-calls.service';
import { AlertsController, DevicesController, EmergencyCallsController } from './http/emergency.controller';

/** The services without HTTP: shared by the api module and the dispatcher's jobs module. */
@Module({
  imports: [CareOrdersDomainModule],
  providers: [EmergencyCallsService, AlertsService],
  exports: [EmergencyCallsService, AlertsService],
})
export class EmergencyDomainModule {}

/** The api's module: devices, emergency calls, alerts, closing a visit left in progress. */
@Module({
  imports: [EmergencyDomainModule],
  controllers: [DevicesController, EmergencyCallsController, AlertsController],
})
export class EmergencyModule {}
