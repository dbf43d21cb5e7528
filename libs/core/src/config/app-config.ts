import { isIP } from 'node:net';
import { databaseNodeUrls } from '../database/database-url';
import { isRedisClusterUrl, parseRedisClusterUrl } from '../queue/redis';

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
  /** Lifetime of an access token in seconds (JWT_EXPIRES_IN: `900`, `15m`, `8h`, `1d`; 1 minute to 30 days). */
  jwtExpiresIn: number;
  /** 32-byte key for the encryption of ID numbers and the keyed hash used to look them up. */
  dataEncryptionKey: Buffer;
  /**
   * The key being rotated away from (DATA_ENCRYPTION_KEY_PREVIOUS), only while `npm run rotate-data-key` moves the
   * stored ID numbers to `dataEncryptionKey`: it is still read and looked up with, never written with. Null otherwise.
   */
  previousDataEncryptionKey: Buffer | null;
  logLevel: string;
  /**
   * Login protection. Failed logins are counted in Redis under `<queuePrefix>:login:` (every api process shares
   * them): `maxFailuresPerUsername` within `windowSeconds` for one username, `maxFailuresPerAddress` for one client
   * address. `hashConcurrency` password hashes (scrypt) run at once; up to `hashQueue` more wait at most
   * `hashWaitMs`, anything beyond answers 503.
   */
  login: {
    maxFailuresPerUsername: number;
    maxFailuresPerAddress: number;
    windowSeconds: number;
    hashConcurrency: number;
    hashQueue: number;
    hashWaitMs: number;
  };
  /** BullMQ key prefix; the braces make it a Redis Cluster hash tag so every queue lives in one slot. */
  queuePrefix: string;
  assessment: { validityMonths: number; requiredAssessors: number; dueWithinDays: number };
  admission: { nursingBedFromLevel: number; reservationHours: number };
  /** sweepSeconds: how often the dispatcher re-enqueues orders left pending and lapsed assignments (and how old they must be). */
  /**
   * faultPauseInCommitMs: a fault-test hook (NODE_ENV=test only, refused otherwise): a round's commit pauses this long
   * holding its locks and its partition's lease, after saying so in Redis, so a test can SIGKILL it there. 0 = off.
   */
  dispatch: { acceptTimeoutMinutes: number; concurrency: number; sweepSeconds: number; faultPauseInCommitMs: number };
  /** Monthly visit plans: cron pattern (county time) of the GenerateVisitPlans scheduler; null = not scheduled. */
  visitPlans: { cron: string | null };
  /** reads: whether reads of residents' personal data leave audit events (AUDIT_READS=off only for the bench's baseline). */
  audit: { reads: boolean };
  /**
   * hotPoolSize: connections of the second, small pool that the hot write transactions (admission, transfer, discharge,
   * care order, check-in/out) use per process (DB_HOT_POOL_SIZE, 1–10), beside TypeORM's pool of 20.
   */
  database: { hotPoolSize: number };
  /**
   * Prometheus metrics. `allow`: addresses or CIDR ranges (METRICS_ALLOW, comma-separated) that may scrape
   * without a token; anyone else needs an admin's bearer token. `dispatcherPort`: where a dispatcher serves its own
   * /metrics (DISPATCHER_METRICS_PORT); null = not served.
   */
  metrics: { allow: string[]; dispatcherPort: number | null };
}

/**
 * METRICS_ALLOW: comma-separated IPv4/IPv6 addresses or CIDR ranges (`10.0.0.0/8`, `::1`). Returns the entries as
 * written (trimmed) and a problem for each one that is not an address or a range.
 */
export function parseAddressList(raw: string | undefined): { entries: string[]; problems: string[] } {
  const entries = (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const problems: string[] = [];
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address);
    const maxPrefix = family === 6 ? 128 : 32;
    const badPrefix = prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > maxPrefix);
    if (family === 0 || badPrefix || extra !== undefined) {
      problems.push(`METRICS_ALLOW: "${entry}" is not an IP address or a CIDR range (e.g. 10.0.0.0/8, ::1)`);
    }
  }
  return { entries, problems };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-0123456789abcdef';
const DEV_DATA_KEY = '0'.repeat(64);
/** Secrets that appear in this repository (the development defaults, the old compose fallbacks): never in production. */
const PUBLIC_JWT_SECRETS = [DEV_JWT_SECRET, 'local-compose-jwt-secret-change-me-0123456789'];
const PUBLIC_DATA_KEYS = [DEV_DATA_KEY, '0'.repeat(63) + '1'];

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const MIN_TOKEN_SECONDS = 60;
const MAX_TOKEN_SECONDS = 30 * 86400;

/**
 * A token lifetime: whole seconds (`900`) or a number with one unit s, m, h or d (`15m`, `8h`, `1d`).
 * Null for anything else (`8 hours`, `1.5h`, `-1d`, `1w`).
 */
export function parseDuration(raw: string): number | null {
  const match = /^(\d{1,7})([smhd]?)$/.exec(raw.trim());
  if (!match) return null;
  return Number(match[1]) * (match[2] ? DURATION_UNITS[match[2]] : 1);
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const problems: string[] = [];
  // Without NODE_ENV a process is a production one: development secrets must be asked for, never fallen into.
  const nodeEnv = (env.NODE_ENV || 'production') as NodeEnv;
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

  /**
   * DATABASE_URL: one node, or the nodes of a Galera cluster as a host list (mysql://u:p@h1:3306,h2:3306,h3:3306/care,
   * database-url.ts): a process uses one node at a time and fails over to the next.
   */
  const databaseUrl = (): string => {
    const raw = env.DATABASE_URL || 'mysql://root:@127.0.0.1:3306/care';
    problems.push(...databaseUrlProblems(raw));
    return raw;
  };
  /** REDIS_URL: one server (redis://, rediss://) or a Redis Cluster (redis+cluster://h1:p1,h2:p2,..., queue/redis.ts). */
  const redisUrl = (): string => {
    const raw = env.REDIS_URL || 'redis://127.0.0.1:6379/0';
    if (!isRedisClusterUrl(raw)) return url('REDIS_URL', raw, ['redis:', 'rediss:']);
    try {
      parseRedisClusterUrl(raw);
    } catch (error) {
      problems.push((error as Error).message);
    }
    return raw;
  };

  const jwtSecret = env.JWT_SECRET || (production ? '' : DEV_JWT_SECRET);
  // a process without NODE_ENV is a production one: say so, or the operator hunts for the missing development default
  const why = production ? (env.NODE_ENV ? '' : ' (NODE_ENV is not set, which means production)') : '';
  if (jwtSecret.length < 32) problems.push(`JWT_SECRET must be set to at least 32 characters${why}`);
  else if (production && PUBLIC_JWT_SECRETS.includes(jwtSecret)) {
    problems.push('JWT_SECRET is a published development secret: set one of your own (NODE_ENV is production)');
  }

  const dataKey = (name: string, rawKey: string): Buffer => {
    let key = Buffer.alloc(0);
    if (/^[0-9a-fA-F]{64}$/.test(rawKey)) key = Buffer.from(rawKey, 'hex');
    else if (rawKey) key = Buffer.from(rawKey, 'base64');
    if (key.length !== 32) {
      problems.push(`${name} must be 32 bytes, as 64 hex characters or base64${rawKey ? '' : why}`);
    } else if (production && PUBLIC_DATA_KEYS.some((k) => Buffer.from(k, 'hex').equals(key))) {
      problems.push(`${name} is a published development key: set one of your own (NODE_ENV is production)`);
    }
    return key;
  };
  const dataEncryptionKey = dataKey('DATA_ENCRYPTION_KEY', env.DATA_ENCRYPTION_KEY || (production ? '' : DEV_DATA_KEY));
  // only during a rotation; no development default (a rotation is always asked for)
  const previousDataEncryptionKey = env.DATA_ENCRYPTION_KEY_PREVIOUS
    ? dataKey('DATA_ENCRYPTION_KEY_PREVIOUS', env.DATA_ENCRYPTION_KEY_PREVIOUS)
    : null;
  if (previousDataEncryptionKey?.length === 32 && previousDataEncryptionKey.equals(dataEncryptionKey)) {
    problems.push('DATA_ENCRYPTION_KEY_PREVIOUS equals DATA_ENCRYPTION_KEY: the previous key must be the old one');
  }

  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && (adminPassword.length < 10 || adminPassword.toLowerCase() === 'admin')) {
    problems.push('ADMIN_PASSWORD must have at least 10 characters');
  }

  const rawExpiresIn = env.JWT_EXPIRES_IN || '12h';
  let jwtExpiresIn = parseDuration(rawExpiresIn) ?? 0;
  if (jwtExpiresIn < MIN_TOKEN_SECONDS || jwtExpiresIn > MAX_TOKEN_SECONDS) {
    problems.push(
      `JWT_EXPIRES_IN must be seconds or a number with s, m, h or d, between 1m and 30d, e.g. 15m, 8h, 1d (got "${rawExpiresIn}")`,
    );
    jwtExpiresIn = 12 * 3600;
  }

  const metricsAllow = parseAddressList(env.METRICS_ALLOW);
  const config: AppConfig = {
    nodeEnv,
    port: int('PORT', 3000, 1, 65535),
    databaseUrl: databaseUrl(),
    redisUrl: redisUrl(),
    adminPassword,
    demoPassword: env.DEMO_PASSWORD || 'demo-2026',
    jwtSecret,
    jwtExpiresIn,
    dataEncryptionKey,
    previousDataEncryptionKey,
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    queuePrefix: env.QUEUE_PREFIX || '{care}',
    login: {
      maxFailuresPerUsername: int('LOGIN_MAX_FAILURES_PER_USERNAME', 5, 1, 1000),
      maxFailuresPerAddress: int('LOGIN_MAX_FAILURES_PER_ADDRESS', 50, 1, 100000),
      windowSeconds: int('LOGIN_WINDOW_SECONDS', 900, 1, 86400),
      hashConcurrency: int('LOGIN_HASH_CONCURRENCY', 4, 1, 64),
      hashQueue: int('LOGIN_HASH_QUEUE', 32, 0, 10000),
      hashWaitMs: int('LOGIN_HASH_WAIT_MS', 2000, 1, 10000),
    },
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
      faultPauseInCommitMs: int('DISPATCH_FAULT_PAUSE_IN_COMMIT_MS', 0, 0, 600_000),
    },
    // VISIT_PLAN_CRON: 5 or 6 cron fields in Asia/Shanghai time (default 00:30 on the 1st), or "off"
    visitPlans: { cron: env.VISIT_PLAN_CRON === 'off' ? null : env.VISIT_PLAN_CRON || '30 0 1 * *' },
    audit: { reads: env.AUDIT_READS !== 'off' },
    database: { hotPoolSize: int('DB_HOT_POOL_SIZE', 6, 1, 10) },
    metrics: {
      allow: metricsAllow.entries,
      dispatcherPort: env.DISPATCHER_METRICS_PORT ? int('DISPATCHER_METRICS_PORT', 0, 1, 65535) || null : null,
    },
  };
  problems.push(...metricsAllow.problems);
  if (config.visitPlans.cron !== null && !/^\S+( \S+){4,5}$/.test(config.visitPlans.cron.trim())) {
    problems.push('VISIT_PLAN_CRON must be a cron pattern of 5 or 6 fields, or "off"');
  }
  if (!/^[a-z]+:/.test(config.queuePrefix) && !/^\{[^}]+\}$/.test(config.queuePrefix)) {
    problems.push('QUEUE_PREFIX must look like {name} (a Redis Cluster hash tag)');
  } else if (isRedisClusterUrl(config.redisUrl) && !/^\{[^}]+\}/.test(config.queuePrefix)) {
    // every key of a queue (and the leases, the login counters) must share a slot: the prefix must start with a hash tag
    problems.push('QUEUE_PREFIX must start with a hash tag like {name} when REDIS_URL is a Redis Cluster');
  }
  if (env.AUDIT_READS !== undefined && env.AUDIT_READS !== 'on' && env.AUDIT_READS !== 'off') {
    problems.push('AUDIT_READS must be "on" or "off"');
  }
  if (env.DISPATCH_FAULT_PAUSE_IN_COMMIT_MS && config.dispatch.faultPauseInCommitMs > 0 && nodeEnv !== 'test') {
    problems.push('DISPATCH_FAULT_PAUSE_IN_COMMIT_MS is a fault-test hook: it is refused unless NODE_ENV is test');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * What `npm run migrate` needs: DATABASE_URL only. Migrations sign no token and decrypt nothing, so a production
 * host migrates without the secrets in its environment (they are still required by the api, the dispatcher and seed).
 */
export function loadMigrateConfig(env: Record<string, string | undefined> = process.env): { databaseUrl: string } {
  const databaseUrl = env.DATABASE_URL || 'mysql://root:@127.0.0.1:3306/care';
  const problems = databaseUrlProblems(databaseUrl);
  if (problems.length > 0) throw new ConfigError(problems);
  return { databaseUrl };
}

/** What is wrong with a DATABASE_URL (one node or a host list of nodes), or nothing. */
export function databaseUrlProblems(raw: string): string[] {
  let nodeUrls: string[];
  try {
    nodeUrls = databaseNodeUrls(raw);
  } catch (error) {
    return [(error as Error).message];
  }
  const protocol = new URL(nodeUrls[0]).protocol;
  if (!['mysql:', 'mariadb:'].includes(protocol))
    return [`DATABASE_URL must use mysql: or mariadb: (got "${protocol}")`];
  return [];
}

/** Injection token for the AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
