import 'reflect-metadata';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthService } from '@care/auth';
import { CareOrdersDomainModule } from '@care/care-orders';
import { AppConfig, PinoNestLogger, countyDate, createRootLogger, loadConfig, runMain } from '@care/core';
import { DatabaseNotEmptyError, seedDemo } from '@care/demo';
import { previousMonth } from '@care/stats';
import { ApiModule } from '../api.module';
import { createDemoUsers } from './demo-users';
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
 * `npm run seed:demo [-- --month YYYY-MM]`: migrates, then loads the demo county into the (empty) database.
 * The visits fall in the month given, by default the previous calendar month (county time), so that
 * `GET /stats/coverage?month=<that month>` shows the whole programme; the four months before it are kept as
 * history (the dashboard's trend), and the month after it (the current one by default) up to today, with two
 * visits today for every caregiver.
 */
if (require.main === module) {
  runMain('seed-demo', async () => {
    const config = loadConfig();
    const arg = process.argv.indexOf('--month');
    const month = arg > 0 ? process.argv[arg + 1] : previousMonth(countyDate(new Date()).slice(0, 7));
    await migrate(config.databaseUrl);
    const app = await createSeedContext(config);
    try {
      try {
        // five closed months for the dashboard's trend, and this month up to today (the caregiver's visits today)
        const today = countyDate(new Date());
        const result = await seedDemo(app, {
          month,
          historyMonths: 4,
          today,
          log: (line) => console.log(`seed:demo ${line}`),
        });
        console.log(`seed:demo done: ${JSON.stringify(result)}`);
      } catch (error) {
        // the demo loads into an empty database only; a database with data is left as it is
        if (!(error instanceof DatabaseNotEmptyError)) throw error;
        console.log(`seed:demo skipped: ${error.message}`);
      }
      const users = await createDemoUsers(app, config.demoPassword);
      console.log(`seed:demo users (password from DEMO_PASSWORD): ${users.map((u) => `${u.username} (${u.note})`).join(', ')}`);
    } finally {
      await app.close();
    }
  });
}
