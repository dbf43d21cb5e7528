import {
  duplicateKeyName,
  isDuplicateKeyError,
  isLockError,
  isNodeDownError,
  isWsrepNotReadyError,
} from './mysql-errors';

describe('mysql errors', () => {
  it('recognises duplicates raw and wrapped, and names the key (MariaDB and MySQL 8 wording)', () => {
    const raw = { code: 'ER_DUP_ENTRY', sqlMessage: "Duplicate entry 'x' for key 'uq_stays_active_bed'" };
    expect(isDuplicateKeyError(raw)).toBe(true);
    expect(isDuplicateKeyError({ driverError: raw })).toBe(true);
    expect(duplicateKeyName({ driverError: raw })).toBe('uq_stays_active_bed');
    expect(duplicateKeyName({ message: "Duplicate entry 'x' for key 'stays.uq_stays_active_bed'" })).toBe(
      'uq_stays_active_bed',
    );
  });
  it('recognises lock errors', () => {
    expect(isLockError({ code: 'ER_LOCK_DEADLOCK' })).toBe(true);
    expect(isLockError({ driverError: { code: 'ER_LOCK_WAIT_TIMEOUT' } })).toBe(true);
    expect(isLockError(new Error('x'))).toBe(false);
  });
});

describe('Galera errors', () => {
  it('retries a certification failure (deadlock at commit) and a node out of the primary component', () => {
    expect(isLockError({ code: 'ER_LOCK_DEADLOCK', errno: 1213 })).toBe(true);
    expect(isLockError({ driverError: { code: 'ER_UNKNOWN_COM_ERROR', errno: 1047 } })).toBe(true);
    expect(isWsrepNotReadyError({ code: 'ER_UNKNOWN_COM_ERROR' })).toBe(true);
    expect(isNodeDownError({ code: 'ECONNREFUSED' })).toBe(true);
    expect(isNodeDownError({ driverError: { code: 'PROTOCOL_CONNECTION_LOST' } })).toBe(true);
    expect(isNodeDownError({ code: 'ER_DUP_ENTRY' })).toBe(false);
  });
});
