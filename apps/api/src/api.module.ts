import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, CoreModule } from '@care/core';
import { API_DOMAIN_MODULES } from './api.modules';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [CoreModule.forRoot(config, { http: true }), ...API_DOMAIN_MODULES],
    };
  }
}
