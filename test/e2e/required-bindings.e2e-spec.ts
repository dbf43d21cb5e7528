/**
 * The rules a library requires from another are required providers, bound by the composing application: an api or a
 * dispatcher composed without one does not start (it used to start, and the 422 NURSING_BED_REQUIRED rule or the
 * resident's latest assessment silently disappeared). Each composition boots in a child process on the built dist
 * (`npm run build:server` first), so a failed boot's half-made connections end with it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createTestConfig } from '@care/testing';
import { buildApp } from '../support/apps';

const ROOT = join(__dirname, '../..');

/**
 * Composes CoreModule with the app's binding modules (all but `omit`) and its domain modules, boots it as an
 * application context, and closes it: exit 0 when it started, else exit 1 with the error's message on stderr.
 */
const SCRIPT = `
const { join } = require('node:path');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const root = process.env.BOOT_ROOT;
const core = require(join(root, 'dist/libs/core/src/index.js'));
const [app, omit] = process.argv.slice(1);
const lists =
  app === 'api'
    ? require(join(root, 'dist/apps/api/src/api.modules.js'))
    : require(join(root, 'dist/apps/dispatcher/src/dispatcher.modules.js'));
const bindings = app === 'api' ? lists.API_BINDING_MODULES : lists.DISPATCHER_BINDING_MODULES;
const domain = app === 'api' ? lists.API_DOMAIN_MODULES : lists.DISPATCHER_JOB_MODULES;
class Composed {}
Module({})(Composed);
const config = core.loadConfig(process.env);
const imports = [core.CoreModule.forRoot(config), ...bindings.filter((m) => m.name !== omit), ...domain];
NestFactory.createApplicationContext({ module: Composed, imports }, { logger: false, abortOnError: false })
  .then(async (ctx) => { await ctx.close(); process.exit(0); })
  .catch((error) => { process.stderr.write(String(error && error.message)); process.exit(1); });
`;

interface Boot {
  code: number | null;
  stderr: string;
}

describe('required bindings', () => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const made = await createTestConfig(buildApp, 'bindings');
    drop = made.drop;
    env = {
      PATH: process.env.PATH ?? '',
      BOOT_ROOT: ROOT,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: made.config.databaseUrl,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0',
      QUEUE_PREFIX: made.config.queuePrefix,
      ADMIN_PASSWORD: 'admin-password-for-tests',
      VISIT_PLAN_CRON: 'off',
    };
  });
  afterAll(() => drop());

  const boot = (app: 'api' | 'dispatcher', omit = ''): Promise<Boot> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', SCRIPT, app, omit], { cwd: ROOT, env });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, stderr }));
    });

  it('the api composed without the admission policy fails at boot, naming ADMISSION_POLICY', async () => {
    const result = await boot('api', 'AdmissionPolicyModule');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/StaysService[\s\S]*ADMISSION_POLICY/);
  });

  it('the api composed without the latest-assessment provider fails at boot, naming LATEST_ASSESSMENT_PROVIDER', async () => {
    const result = await boot('api', 'LatestAssessmentModule');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ResidentsService[\s\S]*LATEST_ASSESSMENT_PROVIDER/);
  });

  it('the api composed without the caregiver look-up fails at boot, naming CAREGIVER_LOOKUP', async () => {
    const result = await boot('api', 'CaregiverLookupModule');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/AuthService[\s\S]*CAREGIVER_LOOKUP/);
  });

  it('the dispatcher composed without the admission policy fails at boot', async () => {
    const result = await boot('dispatcher', 'AdmissionPolicyModule');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/StaysService[\s\S]*ADMISSION_POLICY/);
  });

  it('both apps start with their bindings', async () => {
    expect(await boot('api')).toEqual({ code: 0, stderr: '' });
    expect(await boot('dispatcher')).toEqual({ code: 0, stderr: '' });
  });
});
