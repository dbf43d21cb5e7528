import { DynamicModule, Module, type Type } from '@nestjs/common';
import { AppConfig, CoreModule } from '@care/core';
import { MetricsModule } from '@care/metrics';
import { DISPATCHER_BINDING_MODULES, DISPATCHER_JOB_MODULES } from './dispatcher.modules';

@Module({})
export class DispatcherModule {
  static forRoot(config: AppConfig, jobModules: readonly Type[] = DISPATCHER_JOB_MODULES): DynamicModule {
    return {
      module: DispatcherModule,
      imports: [
        CoreModule.forRoot(config),
        MetricsModule.forDispatcher(),
        ...DISPATCHER_BINDING_MODULES,
        ...jobModules,
      ],
    };
  }
}
