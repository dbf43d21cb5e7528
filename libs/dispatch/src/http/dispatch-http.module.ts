import { Module } from '@nestjs/common';
import { DispatchKpisController } from './dispatch-kpis.controller';
import { DispatchKpisService } from './dispatch-kpis.service';

/** The api's dispatch module: GET /dispatch/kpis (the dispatcher process itself has no HTTP). */
@Module({
  controllers: [DispatchKpisController],
  providers: [DispatchKpisService],
})
export class DispatchHttpModule {}
