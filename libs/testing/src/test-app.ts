import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AuthService } from '@care/auth';
import { AppConfig, Role, deleteKeysWithPrefix, loadConfig } from '@care/core';
import { createTestDatabase } from './test-database';

export const ADMIN_PASSWORD = 'admin-password-for-tests';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

export interface TestContext {
  app: INestApplication;
  config: AppConfig;
  /** supertest bound to the app; use `.set(auth(token))`. */
  http: () => TestAgent;
  db: DataSource;
  adminToken: string;
  /** Creates a user of that role and returns its token (facilityIds for managers, caregiverId for caregivers). */
  userToken: (role: Role, extra?: { facilityIds?: string[]; caregiverId?: string }) => Promise<string>;
  close: () => Promise<void>;
}

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * What the harness builds: the api app and the migrations of its schema. Given by the caller (the test tree's
 * `buildApp`, test/support/apps.ts), so that no library imports an app.
 */
export interface AppBuilder {
  createApp(config: AppConfig): Promise<INestApplication>;
  /** Applies every migration and the reference data to a database (created if needed). */
  migrate(databaseUrl: string): Promise<void>;
}

/**
 * Test configuration: a database of its own and a queue prefix of its own, so test files running in
 * parallel never see each other's rows or jobs.
 */
export async function createTestConfig(
  build: Pick<AppBuilder, 'migrate'>,
  label: string,
): Promise<{ config: AppConfig; drop: () => Promise<void> }> {
  const database = await createTestDatabase(label);
  await build.migrate(database.url);
  const queuePrefix = `{test-${randomBytes(4).toString('hex')}}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL,
    ADMIN_PASSWORD,
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  const drop = async () => {
    await database.drop();
    await deleteKeysWithPrefix(REDIS_URL, queuePrefix);
  };
  return { config, drop };
}

/** The api that `build` makes, on a fresh database, with an admin token ready. */
export async function createTestApp(build: AppBuilder, label: string): Promise<TestContext> {
  const { config, drop } = await createTestConfig(build, label);
  const app = await build.createApp(config);
  await app.init();
  const server = app.getHttpServer();
  const http = () => request(server);
  const authService = app.get(AuthService);
  const adminToken = (await authService.login('admin', ADMIN_PASSWORD)).accessToken;
  let counter = 0;
  return {
    app,
    config,
    http,
    db: app.get(DataSource),
    adminToken,
    userToken: async (role, extra = {}) => {
      const username = `${role}${++counter}_${randomBytes(3).toString('hex')}`;
      await authService.createUser({ username, password: 'password-123', role, ...extra });
      return (await authService.login(username, 'password-123')).accessToken;
    },
    close: async () => {
      await app.close();
      await drop();
    },
  };
}
