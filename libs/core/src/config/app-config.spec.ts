import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('uses the contract defaults outside production', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe('mysql://root:@127.0.0.1:3306/care');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379/0');
    expect(config.dataEncryptionKey).toHaveLength(32);
    expect(config.queuePrefix).toBe('{care}');
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
    expect(loadConfig({ DATA_ENCRYPTION_KEY: key.toString('base64') }).dataEncryptionKey).toEqual(key);
    expect(loadConfig({ DATA_ENCRYPTION_KEY: key.toString('hex') }).dataEncryptionKey).toEqual(key);
    expect(() => loadConfig({ DATA_ENCRYPTION_KEY: 'abcd' })).toThrow(ConfigError);
  });
});
