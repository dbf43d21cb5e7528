import { Writable } from 'node:stream';
import pino from 'pino';
import { QueryFailedError } from 'typeorm';
import { LOG_BLOCK_BYTES, LOG_FLUSH_MS, createRootLogger, messageWithoutValues, serializeError } from './logger';

/** A mysql2 error as the driver makes it: the statement and its values inline. */
function mysqlDuplicate(): Error {
  return Object.assign(new Error("Duplicate entry '张秀英-13800001111' for key 'uq_residents_name_phone'"), {
    code: 'ER_DUP_ENTRY',
    errno: 1062,
    sqlState: '23000',
    sqlMessage: "Duplicate entry '张秀英-13800001111' for key 'uq_residents_name_phone'",
    sql: "INSERT INTO residents (name, phone, address) VALUES ('张秀英', '13800001111', '会师镇东街 3 号')",
  });
}

describe('serializeError', () => {
  it('drops SQL text, parameters and the driver error, keeps code, errno and a message without values', () => {
    const error = new QueryFailedError(
      'INSERT INTO residents (name, phone, address) VALUES (?, ?, ?)',
      ['张秀英', '13800001111', '会师镇东街 3 号'],
      mysqlDuplicate(),
    );
    const safe = serializeError(error);
    const text = JSON.stringify(safe);
    expect(safe).toMatchObject({ type: 'QueryFailedError', code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000' });
    expect(safe.message).toBe("Duplicate entry '?' for key '?'");
    for (const secret of ['张秀英', '13800001111', '会师镇', 'INSERT', 'VALUES']) expect(text).not.toContain(secret);
    expect(Object.keys(safe).sort()).toEqual(['code', 'errno', 'message', 'sqlState', 'stack', 'type']);
    expect(safe.stack).toMatch(/^QueryFailedError: Duplicate entry '\?'/);
  });

  it('serializes a raw mysql2 error the same way, and is stable when applied twice', () => {
    const safe = serializeError(mysqlDuplicate());
    expect(JSON.stringify(safe)).not.toContain('13800001111');
    expect(serializeError(safe)).toBe(safe);
  });

  it('takes long digit runs (ID numbers, phones) out of messages', () => {
    expect(messageWithoutValues('resident 620422194501010017 has no phone 13800001111')).toBe(
      'resident # has no phone #',
    );
  });

  it('is the root logger err serializer', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    createRootLogger('info', 'test', sink).error({ err: mysqlDuplicate() }, 'failed');
    expect(lines.join('')).toContain('ER_DUP_ENTRY');
    expect(lines.join('')).not.toContain('13800001111');
    expect(lines.join('')).not.toContain('INSERT');
  });
});

describe('createRootLogger on stdout', () => {
  it('writes in blocks of LOG_BLOCK_BYTES, or every LOG_FLUSH_MS, not a system call per line', () => {
    const logger = createRootLogger('info', 'test');
    const stdout = (logger as unknown as Record<symbol, { minLength: number; _periodicFlush: number; fd: number }>)[
      pino.symbols.streamSym
    ];
    expect(stdout.fd).toBe(1);
    expect(stdout.minLength).toBe(LOG_BLOCK_BYTES);
    expect(stdout._periodicFlush).toBe(LOG_FLUSH_MS);
  });
});
