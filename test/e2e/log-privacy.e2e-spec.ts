import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { DataSource } from 'typeorm';
import { ADMIN_PASSWORD, auth, createTestConfig } from '@care/testing';
import { buildApp } from '../support/apps';

/**
 * Only the masked ID number may ever reach a log, and no password or token; no search value (q=, idNumber=); no SQL
 * text, parameters or driver error on the 500 path; API answers are not cached.
 */
describe('logs keep personal data out', () => {
  const lines: string[] = [];
  let app: INestApplication;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const test = await createTestConfig(buildApp, 'logprivacy');
    drop = test.drop;
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    app = await createApiApp({ ...test.config, logLevel: 'debug' }, { logDestination: capture });
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await drop();
  });

  it('never writes a full ID number, a password or a token', async () => {
    const http = () => request(app.getHttpServer());
    const login = await http()
      .post('/api/v1/auth/login')
      .send({ username: 'admin', password: ADMIN_PASSWORD })
      .expect(200);
    const token: string = login.body.accessToken;
    const idNumber = '620422194501010017';
    await http()
      .post('/api/v1/residents')
      .set(auth(token))
      .send({ name: '张秀英', idNumber, regionCode: '620422100', livingArrangement: 'home', categories: ['destitute'] })
      .expect(201);
    await http().get(`/api/v1/residents?q=${idNumber}`).set(auth(token)).expect(200);
    // a name searched for, and the full number as the desk look-up sends it: neither value reaches the log
    await http()
      .get(`/api/v1/residents?q=${encodeURIComponent('张秀英')}&limit=5`)
      .set(auth(token));
    await http().get(`/api/v1/residents?idNumber=${idNumber}`).set(auth(token));
    // a rejected number (wrong check digit) must not be echoed either
    await http()
      .post('/api/v1/residents')
      .set(auth(token))
      .send({
        name: '李',
        idNumber: '620422194501010018',
        regionCode: '620422100',
        livingArrangement: 'home',
        categories: [],
      })
      .expect(400);
    await http().get(`/admin/queues?token=${token}`);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(3); // the requests were logged at all
    expect(log).toContain('/api/v1/residents?q=[redacted]&limit=5');
    expect(log).toContain('/api/v1/residents?idNumber=[redacted]');
    expect(log).not.toContain(encodeURIComponent('张秀英'));
    // never the earlier masked form that kept the sequence digits
    expect(log).not.toContain('********0017');
    expect(log).not.toContain(idNumber);
    expect(log).not.toContain('620422194501010018');
    expect(log).not.toContain(ADMIN_PASSWORD);
    expect(log).not.toContain(token);
  });

  it('answers API requests with Cache-Control: no-store', async () => {
    const login = await request(app.getHttpServer())
      .post('/api/v1/auth/login')
      .send({ username: 'admin', password: ADMIN_PASSWORD });
    expect(login.headers['cache-control']).toBe('no-store');
    const list = await request(app.getHttpServer())
      .get('/api/v1/residents')
      .set(auth(login.body.accessToken))
      .expect(200);
    expect(list.headers['cache-control']).toBe('no-store');
  });

  it('logs a database failure (500) with its code, but without SQL text, parameters or the driver error', async () => {
    const http = () => request(app.getHttpServer());
    const token: string = (
      await http().post('/api/v1/auth/login').send({ username: 'admin', password: ADMIN_PASSWORD })
    ).body.accessToken;
    // break the table under the api (this file's own database): the INSERT then fails inside the driver
    const db = app.get(DataSource);
    await db.query('ALTER TABLE residents CHANGE phone phone_gone VARCHAR(32) NULL');
    lines.length = 0;
    const res = await http().post('/api/v1/residents').set(auth(token)).send({
      name: '欧阳测试',
      idNumber: '62042219450101005X',
      regionCode: '620422100',
      livingArrangement: 'home',
      categories: [],
      phone: '13912345678',
      address: '会师镇测试街九号',
    });
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('INTERNAL');
    const log = lines.join('');
    expect(log).toContain('ER_BAD_FIELD_ERROR'); // the failure is logged, with its code
    for (const secret of [
      '欧阳测试',
      '13912345678',
      '会师镇测试街九号',
      '62042219450101005X',
      'INSERT',
      'driverError',
      'parameters',
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});
