/**
 * The one place that reads process.env. Everything else receives an AppConfig.
 * Invalid configuration is reported all at once, so an operator fixes it in one go.
 */
export type NodeEnv = 'production' | 'development' | 'test';

export interface AppConfig {
  nodeEnv: NodeEnv;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  /** Only needed the first time the api starts: creates user `admin`. */
  adminPassword: string | undefined;
  /** Password of the demo county's users (bureau, manager, dispatcher, caregiver), set by seed:demo only. */
  demoPassword: string;
  jwtSecret: string;
  jwtExpiresIn: string;
  /** 32-byte key for the encryption of ID numbers and the keyed hash used to look them up. */
  dataEncryptionKey: Buffer;
  logLevel: string;
  /** BullMQ key prefix; the braces make it a Redis Cluster hash tag so every queue lives in one slot. */
  queuePrefix: string;
  assessment: { validityMonths: number; requiredAssessors: number; dueWithinDays: number };
  admission: { nursingBedFromLevel: number; reservationHours: number };
  /** sweepSeconds: how often the dispatcher re-enqueues orders left pending and lapsed assignments (and how old they must be). */
  dispatch: { acceptTimeoutMinutes: number; concurrency: number; sweepSeconds: number };
  /** Monthly visit plans: cron pattern (county time) of the GenerateVisitPlans scheduler; null = not scheduled. */
  visitPlans: { cron: string | null };
  /** reads: whether reads of residents' personal data leave audit events (AUDIT_READS=off only for the bench's baseline). */
  audit: { reads: boolean };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-0123456789abcdef';
const DEV_DATA_KEY = '0'.repeat(64);

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const problems: string[] = [];
  const nodeEnv = (env.NODE_ENV ?? 'development') as NodeEnv;
  if (!['production', 'development', 'test'].includes(nodeEnv)) {
    problems.push(`NODE_ENV must be production, development or test (got "${env.NODE_ENV}")`);
  }
  const production = nodeEnv === 'production';

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const url = (name: string, fallback: string, protocols: string[]): string => {
    const raw = env[name] || fallback;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const jwtSecret = env.JWT_SECRET || (production ? '' : DEV_JWT_SECRET);
  if (jwtSecret.length < 32) problems.push('JWT_SECRET must be set to at least 32 characters');

  let dataEncryptionKey = Buffer.alloc(0);
  const rawKey = env.DATA_ENCRYPTION_KEY || (production ? '' : DEV_DATA_KEY);
  if (/^[0-9a-fA-F]{64}$/.test(rawKey)) dataEncryptionKey = Buffer.from(rawKey, 'hex');
  else if (rawKey) dataEncryptionKey = Buffer.from(rawKey, 'base64');
  if (dataEncryptionKey.length !== 32) {
    problems.push('DATA_ENCRYPTION_KEY must be 32 bytes, as 64 hex characters or base64');
  }

  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && adminPassword.length < 8) {
    problems.push('ADMIN_PASSWORD must have at least 8 characters');
  }

  const config: AppConfig = {
    nodeEnv,
    port: int('PORT', 3000, 1, 65535),
    databaseUrl: url('DATABASE_URL', 'mysql://root:@127.0.0.1:3306/care', ['mysql:', 'mariadb:']),
    redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379/0', ['redis:', 'rediss:']),
    adminPassword,
    demoPassword: env.DEMO_PASSWORD || 'demo-2026',
    jwtSecret,
    jwtExpiresIn: env.JWT_EXPIRES_IN || '12h',
    dataEncryptionKey,
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    queuePrefix: env.QUEUE_PREFIX || '{care}',
    assessment: {
      validityMonths: int('ASSESSMENT_VALIDITY_MONTHS', 12, 1, 60),
      requiredAssessors: int('ASSESSMENT_REQUIRED_ASSESSORS', 2, 1, 5),
      dueWithinDays: int('ASSESSMENT_DUE_WITHIN_DAYS', 30, 1, 365),
    },
    admission: {
      nursingBedFromLevel: int('NURSING_BED_FROM_LEVEL', 2, 0, 5),
      reservationHours: int('BED_RESERVATION_HOURS', 48, 1, 720),
    },
    dispatch: {
      acceptTimeoutMinutes: int('DISPATCH_ACCEPT_TIMEOUT_MINUTES', 15, 1, 1440),
      concurrency: int('DISPATCH_CONCURRENCY', 8, 1, 64),
      sweepSeconds: int('DISPATCH_SWEEP_SECONDS', 30, 1, 3600),
    },
    // VISIT_PLAN_CRON: 5 or 6 cron fields in Asia/Shanghai time (default 00:30 on the 1st), or "off"
    visitPlans: { cron: env.VISIT_PLAN_CRON === 'off' ? null : env.VISIT_PLAN_CRON || '30 0 1 * *' },
    audit: { reads: env.AUDIT_READS !== 'off' },
  };
  if (config.visitPlans.cron !== null && !/^\S+( \S+){4,5}$/.test(config.visitPlans.cron.trim())) {
    problems.push('VISIT_PLAN_CRON must be a cron pattern of 5 or 6 fields, or "off"');
  }
  if (!/^[a-z]+:/.test(config.queuePrefix) && !/^\{[^}]+\}$/.test(config.queuePrefix)) {
    problems.push('QUEUE_PREFIX must look like {name} (a Redis Cluster hash tag)');
  }
  if (env.AUDIT_READS !== undefined && env.AUDIT_READS !== 'on' && env.AUDIT_READS !== 'off') {
    problems.push('AUDIT_READS must be "on" or "off"');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Injection token for the AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
