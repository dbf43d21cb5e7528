import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { FIELD_CIPHER, FieldCipher } from './crypto/field-cipher';
import { dataSourceOptions } from './database/data-source-options';
import { API_DATABASE_LIMITS, WORKER_DATABASE_LIMITS } from './database/guarded-pool';
import { DATABASE_LIMITS, SqlTransactionRunner } from './database/sql-transaction';
import { TransactionRunner } from './database/transaction-runner';
import { HealthController } from './health/health.controller';
import { JobQueue } from './queue/job-queue.service';
import { JobWorkerHost } from './queue/job-worker.host';

/**
 * Shared infrastructure for both apps: the validated config, the database, transactions, field encryption
 * and the job queue. Global, so domain modules inject these without importing CoreModule themselves.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, options: { http?: boolean } = {}): DynamicModule {
    const limits = options.http ? API_DATABASE_LIMITS : WORKER_DATABASE_LIMITS;
    return {
      module: CoreModule,
      imports: [
        TypeOrmModule.forRoot({
          // the api answers every request within 5 s (503 when the database is out of reach); workers may wait
          ...dataSourceOptions(config, {}, limits),
          autoLoadEntities: true,
        }),
      ],
      controllers: options.http ? [HealthController] : [],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        {
          provide: FIELD_CIPHER,
          useValue: new FieldCipher(config.dataEncryptionKey, config.previousDataEncryptionKey),
        },
        { provide: DATABASE_LIMITS, useValue: limits },
        TransactionRunner,
        SqlTransactionRunner,
        JobQueue,
        JobWorkerHost,
      ],
      exports: [
        APP_CONFIG,
        FIELD_CIPHER,
        DATABASE_LIMITS,
        TransactionRunner,
        SqlTransactionRunner,
        JobQueue,
        JobWorkerHost,
      ],
    };
  }
}
