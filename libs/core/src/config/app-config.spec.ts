import { ConfigError, DEV_JWT_SECRET, loadConfig, loadMigrateConfig, parseDuration } from './app-config';

const SECRETS = {
  JWT_SECRET: 'a-production-secret-of-at-least-32-characters',
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('hex'),
};

const problemsOf = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  return '';
};

describe('loadConfig', () => {
  it('uses the contract defaults outside production', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe('mysql://root:@127.0.0.1:3306/care');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379/0');
    expect(config.dataEncryptionKey).toHaveLength(32);
    expect(config.queuePrefix).toBe('{care}');
  });

  it('takes the dispatch fault hook in tests only', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).dispatch.faultPauseInCommitMs).toBe(0);
    expect(
      loadConfig({ NODE_ENV: 'test', DISPATCH_FAULT_PAUSE_IN_COMMIT_MS: '30000' }).dispatch.faultPauseInCommitMs,
    ).toBe(30_000);
    expect(problemsOf({ NODE_ENV: 'production', ...SECRETS, DISPATCH_FAULT_PAUSE_IN_COMMIT_MS: '30000' })).toMatch(
      /DISPATCH_FAULT_PAUSE_IN_COMMIT_MS .*refused unless NODE_ENV is test/,
    );
    expect(problemsOf({ NODE_ENV: 'development', DISPATCH_FAULT_PAUSE_IN_COMMIT_MS: '1' })).toMatch(
      /DISPATCH_FAULT_PAUSE_IN_COMMIT_MS/,
    );
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ NODE_ENV: 'production', PORT: 'abc', DATABASE_URL: 'postgres://x', ADMIN_PASSWORD: 'short' });
      fail('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { problems } = error as ConfigError;
      expect(problems.join('\n')).toMatch(/PORT/);
      expect(problems.join('\n')).toMatch(/DATABASE_URL/);
      expect(problems.join('\n')).toMatch(/JWT_SECRET/);
      expect(problems.join('\n')).toMatch(/DATA_ENCRYPTION_KEY/);
      expect(problems.join('\n')).toMatch(/ADMIN_PASSWORD/);
    }
  });

  it('accepts a base64 or hex encryption key of 32 bytes', () => {
    const key = Buffer.alloc(32, 7);
    expect(loadConfig({ NODE_ENV: 'test', DATA_ENCRYPTION_KEY: key.toString('base64') }).dataEncryptionKey).toEqual(
      key,
    );
    expect(loadConfig({ NODE_ENV: 'test', DATA_ENCRYPTION_KEY: key.toString('hex') }).dataEncryptionKey).toEqual(key);
    expect(() => loadConfig({ NODE_ENV: 'test', DATA_ENCRYPTION_KEY: 'abcd' })).toThrow(ConfigError);
  });
});

describe('secrets', () => {
  it('treats a process without NODE_ENV as production: no development secrets', () => {
    const problems = problemsOf({});
    expect(problems).toMatch(/JWT_SECRET must be set/);
    expect(problems).toMatch(/DATA_ENCRYPTION_KEY/);
    expect(loadConfig(SECRETS).nodeEnv).toBe('production');
    expect(loadConfig({ ...SECRETS, NODE_ENV: '' }).nodeEnv).toBe('production');
  });

  it('uses the development secrets only in development and test', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).jwtSecret).toBe(DEV_JWT_SECRET);
    expect(loadConfig({ NODE_ENV: 'test' }).jwtSecret).toBe(DEV_JWT_SECRET);
  });

  it('refuses the published development secrets in production, even when given explicitly', () => {
    expect(problemsOf({ ...SECRETS, JWT_SECRET: DEV_JWT_SECRET })).toMatch(/JWT_SECRET is a published/);
    expect(problemsOf({ ...SECRETS, JWT_SECRET: 'local-compose-jwt-secret-change-me-0123456789' })).toMatch(
      /JWT_SECRET/,
    );
    expect(problemsOf({ ...SECRETS, DATA_ENCRYPTION_KEY: '0'.repeat(64) })).toMatch(
      /DATA_ENCRYPTION_KEY is a published/,
    );
    expect(problemsOf({ ...SECRETS, DATA_ENCRYPTION_KEY: '0'.repeat(63) + '1' })).toMatch(/DATA_ENCRYPTION_KEY/);
    expect(problemsOf(SECRETS)).toBe('');
  });

  it('asks ADMIN_PASSWORD for at least 10 characters', () => {
    expect(problemsOf({ ...SECRETS, ADMIN_PASSWORD: '123456789' })).toMatch(/ADMIN_PASSWORD/);
    expect(problemsOf({ ...SECRETS, ADMIN_PASSWORD: '1234567890' })).toBe('');
  });
});

describe('JWT_EXPIRES_IN', () => {
  it('reads seconds or a number with s, m, h or d', () => {
    expect(parseDuration('900')).toBe(900);
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('8h')).toBe(8 * 3600);
    expect(parseDuration('1d')).toBe(86400);
    expect(loadConfig({ NODE_ENV: 'test' }).jwtExpiresIn).toBe(12 * 3600);
    expect(loadConfig({ NODE_ENV: 'test', JWT_EXPIRES_IN: '15m' }).jwtExpiresIn).toBe(900);
  });

  it.each(['8 hours', '1.5h', '-1d', '1w', 'h', 'abc', '0', '30s', '31d', '15M'])('refuses "%s"', (value) => {
    expect(problemsOf({ NODE_ENV: 'test', JWT_EXPIRES_IN: value })).toMatch(/JWT_EXPIRES_IN/);
  });
});

describe('login protection settings', () => {
  it('defaults to the contract: 5 per username, 50 per address, 15 minutes', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).login).toMatchObject({
      maxFailuresPerUsername: 5,
      maxFailuresPerAddress: 50,
      windowSeconds: 900,
    });
    expect(problemsOf({ NODE_ENV: 'test', LOGIN_HASH_CONCURRENCY: '0' })).toMatch(/LOGIN_HASH_CONCURRENCY/);
  });
});

describe('loadMigrateConfig', () => {
  it('needs DATABASE_URL only: migrating a production database asks for no secrets', () => {
    expect(loadMigrateConfig({})).toEqual({ databaseUrl: 'mysql://root:@127.0.0.1:3306/care' });
    expect(loadMigrateConfig({ DATABASE_URL: 'mysql://care:x@db:3306/care' }).databaseUrl).toBe(
      'mysql://care:x@db:3306/care',
    );
    expect(() => loadMigrateConfig({ DATABASE_URL: 'postgres://x' })).toThrow(ConfigError);
    expect(() => loadMigrateConfig({ DATABASE_URL: 'not a url' })).toThrow(ConfigError);
  });
});

describe('DATA_ENCRYPTION_KEY_PREVIOUS (a key rotation)', () => {
  const previous = Buffer.alloc(32, 5);

  it('is absent unless given, and read like DATA_ENCRYPTION_KEY when given', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).previousDataEncryptionKey).toBeNull();
    expect(
      loadConfig({ ...SECRETS, DATA_ENCRYPTION_KEY_PREVIOUS: previous.toString('base64') }).previousDataEncryptionKey,
    ).toEqual(previous);
    expect(
      loadConfig({ ...SECRETS, DATA_ENCRYPTION_KEY_PREVIOUS: previous.toString('hex') }).previousDataEncryptionKey,
    ).toEqual(previous);
    expect(problemsOf({ ...SECRETS, DATA_ENCRYPTION_KEY_PREVIOUS: 'abcd' })).toMatch(
      /DATA_ENCRYPTION_KEY_PREVIOUS must be 32 bytes/,
    );
  });

  it('refuses the same key as DATA_ENCRYPTION_KEY', () => {
    expect(problemsOf({ ...SECRETS, DATA_ENCRYPTION_KEY_PREVIOUS: SECRETS.DATA_ENCRYPTION_KEY })).toMatch(
      /DATA_ENCRYPTION_KEY_PREVIOUS equals DATA_ENCRYPTION_KEY/,
    );
    expect(problemsOf({ NODE_ENV: 'test', DATA_ENCRYPTION_KEY_PREVIOUS: '0'.repeat(64) })).toMatch(/equals/);
  });

  it('refuses a published development key in production, allows it in development (rotating away from it)', () => {
    expect(problemsOf({ ...SECRETS, DATA_ENCRYPTION_KEY_PREVIOUS: '0'.repeat(64) })).toMatch(
      /DATA_ENCRYPTION_KEY_PREVIOUS is a published development key/,
    );
    expect(problemsOf({ NODE_ENV: 'development', ...SECRETS, DATA_ENCRYPTION_KEY_PREVIOUS: '0'.repeat(64) })).toBe('');
  });
});

describe('metrics settings', () => {
  it('reads METRICS_ALLOW as addresses and CIDR ranges, and DISPATCHER_METRICS_PORT', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      METRICS_ALLOW: ' 10.0.0.0/8, 127.0.0.1 ,::1,fd00::/8',
      DISPATCHER_METRICS_PORT: '9464',
    });
    expect(config.metrics).toEqual({ allow: ['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8'], dispatcherPort: 9464 });
    expect(loadConfig({ NODE_ENV: 'test' }).metrics).toEqual({ allow: [], dispatcherPort: null });
  });

  it('names every entry that is not an address or a range, and a bad port', () => {
    const problems = problemsOf({
      NODE_ENV: 'test',
      METRICS_ALLOW: '10.0.0.0/33,prometheus,1.2.3.4/8/1,::1/129',
      DISPATCHER_METRICS_PORT: '70000',
    });
    expect(problems).toMatch(/"10\.0\.0\.0\/33"/);
    expect(problems).toMatch(/"prometheus"/);
    expect(problems).toMatch(/"1\.2\.3\.4\/8\/1"/);
    expect(problems).toMatch(/"::1\/129"/);
    expect(problems).toMatch(/DISPATCHER_METRICS_PORT/);
  });
});
