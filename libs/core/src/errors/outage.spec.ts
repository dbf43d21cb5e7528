import { QueryFailedError } from 'typeorm';
import { ServiceUnavailableError } from './domain-error';
import { asServiceUnavailable } from './outage';
import { statementTimeoutSql } from '../database/guarded-pool';

const coded = (code: string, message = 'x', errno?: number) => Object.assign(new Error(message), { code, errno });

describe('asServiceUnavailable', () => {
  it.each([
    'ECONNREFUSED',
    'PROTOCOL_CONNECTION_LOST',
    'ETIMEDOUT',
    'POOL_ACQUIRE_TIMEOUT',
    'POOL_QUEUE_LIMIT',
    'ER_STATEMENT_TIMEOUT',
    'ER_QUERY_TIMEOUT',
  ])('maps the database driver code %s to 503 database', (code) => {
    const mapped = asServiceUnavailable(coded(code));
    expect(mapped).toBeInstanceOf(ServiceUnavailableError);
    expect(mapped).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', service: 'database' });
  });

  it('looks inside TypeORM QueryFailedError, and knows the statement-limit errnos and the pool queue limit', () => {
    expect(
      asServiceUnavailable(new QueryFailedError('SELECT 1', [], coded('ER_UNKNOWN', 'interrupted', 1969)))?.service,
    ).toBe('database');
    expect(asServiceUnavailable(new QueryFailedError('SELECT 1', [], coded('PROTOCOL_CONNECTION_LOST')))?.service).toBe(
      'database',
    );
    expect(asServiceUnavailable(new Error('Queue limit reached.'))?.service).toBe('database');
  });

  it("maps ioredis's not-connected errors to 503 redis", () => {
    expect(
      asServiceUnavailable(new Error("Stream isn't writeable and enableOfflineQueue options is false"))?.service,
    ).toBe('redis');
    expect(asServiceUnavailable(new Error('Command timed out'))?.service).toBe('redis');
    expect(asServiceUnavailable(new Error('Connection is closed.'))?.service).toBe('redis');
  });

  it('leaves statement errors and everything else alone', () => {
    expect(asServiceUnavailable(coded('ER_DUP_ENTRY', "Duplicate entry 'a'"))).toBeUndefined();
    expect(asServiceUnavailable(new QueryFailedError('SELECT', [], coded('ER_PARSE_ERROR')))).toBeUndefined();
    expect(asServiceUnavailable(new TypeError('x is undefined'))).toBeUndefined();
    expect(asServiceUnavailable('oops')).toBeUndefined();
  });
});

describe('statementTimeoutSql', () => {
  it('speaks MariaDB seconds or MySQL milliseconds', () => {
    expect(statementTimeoutSql('5.5.5-10.11.6-MariaDB-0+deb12u1', 4000)).toBe('SET SESSION max_statement_time = 4.000');
    expect(statementTimeoutSql('8.0.36', 4000)).toBe('SET SESSION max_execution_time = 4000');
  });
});
