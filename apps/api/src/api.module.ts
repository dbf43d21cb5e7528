import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, CoreModule } from '@care/core';
import { MetricsModule } from '@care/metrics';
import { API_BINDING_MODULES, API_DOMAIN_MODULES } from './api.modules';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      // MetricsModule before the domain modules: its request-timing guard must run ahead of the auth guard
      imports: [
        CoreModule.forRoot(config, { http: true }),
        MetricsModule.forApi(),
        ...API_BINDING_MODULES,
        ...API_DOMAIN_MODULES,
      ],
    };
  }
}
