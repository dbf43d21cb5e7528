import 'reflect-metadata';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthService } from '@care/auth';
import { CareOrdersDomainModule } from '@care/care-orders';
import { AppConfig, PinoNestLogger, countyDate, createRootLogger, loadConfig, runMain } from '@care/core';
import { DatabaseNotEmptyError, seedDemo, type SeedOptions, type SeedResult } from '@care/demo';
import { previousMonth } from '@care/stats';
import { ApiModule } from '../api.module';
import { createDemoUsers, type DemoUser } from './demo-users';
import { migrate } from './migrate';

/** The api's modules (and the care-order services) without HTTP: what the demo seed calls. */
@Module({})
class SeedModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: SeedModule, imports: [ApiModule.forRoot(config), CareOrdersDomainModule] };
  }
}

export async function createSeedContext(config: AppConfig): Promise<INestApplicationContext> {
  const logger = new PinoNestLogger(createRootLogger(config.logLevel, 'seed-demo'));
  const app = await NestFactory.createApplicationContext(SeedModule.forRoot(config), { logger, bufferLogs: true });
  await app.get(AuthService).ensureAdmin(config.adminPassword);
  return app;
}

/**
 * Loads the demo county and then its demo users (password DEMO_PASSWORD), both only into an empty database: a
 * database that already holds data is left as it is and gets no demo users, so a well-known password can never
 * open a real county's records.
 */
export async function seedDemoCounty(
  app: INestApplicationContext,
  config: AppConfig,
  options: SeedOptions,
): Promise<{ result: SeedResult; users: DemoUser[] } | { skipped: string }> {
  let result: SeedResult;
  try {
    result = await seedDemo(app, options);
  } catch (error) {
    if (error instanceof DatabaseNotEmptyError) return { skipped: error.message };
    throw error;
  }
  return { result, users: await createDemoUsers(app, config.demoPassword) };
}

/**
 * `npm run seed:demo [-- --month YYYY-MM]`: migrates, then loads the demo county into the (empty) database.
 * The visits fall in the month given, by default the previous calendar month (county time), so that
 * `GET /stats/coverage?month=<that month>` shows the whole programme.
 */
if (require.main === module) {
  runMain('seed-demo', async () => {
    const config = loadConfig();
    const arg = process.argv.indexOf('--month');
    const month = arg > 0 ? process.argv[arg + 1] : previousMonth(countyDate(new Date()).slice(0, 7));
    await migrate(config.databaseUrl);
    const app = await createSeedContext(config);
    try {
      // five closed months for the dashboard's trend, and this month up to today (the caregiver's visits today)
      const outcome = await seedDemoCounty(app, config, {
        month,
        historyMonths: 4,
        today: countyDate(new Date()),
        log: (line) => console.log(`seed:demo ${line}`),
      });
      if ('skipped' in outcome) {
        console.log(`seed:demo skipped (no demo data, no demo users): ${outcome.skipped}`);
      } else {
        console.log(`seed:demo done: ${JSON.stringify(outcome.result)}`);
        const names = outcome.users.map((u) => `${u.username} (${u.note})`).join(', ');
        console.log(`seed:demo users (password from DEMO_PASSWORD): ${names}`);
      }
    } finally {
      await app.close();
    }
  });
}
