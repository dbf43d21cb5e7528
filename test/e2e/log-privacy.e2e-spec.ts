import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { ADMIN_PASSWORD, auth, createTestConfig } from '@care/testing';

/** Only the masked ID number may ever reach a log, and no password or token. */
describe('logs keep personal data out', () => {
  const lines: string[] = [];
  let app: INestApplication;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const test = await createTestConfig('logprivacy');
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
    const login = await http().post('/api/v1/auth/login').send({ username: 'admin', password: ADMIN_PASSWORD }).expect(200);
    const token: string = login.body.accessToken;
    const idNumber = '620422194501010017';
    await http()
      .post('/api/v1/residents')
      .set(auth(token))
      .send({ name: '张秀英', idNumber, regionCode: '620422100', livingArrangement: 'home', categories: ['destitute'] })
      .expect(201);
    await http().get(`/api/v1/residents?q=${idNumber}`).set(auth(token)).expect(200);
    // the desk look-up by the full number
    await http().get(`/api/v1/residents?idNumber=${idNumber}`).set(auth(token)).expect(200);
    // a rejected number (wrong check digit) must not be echoed either
    await http()
      .post('/api/v1/residents')
      .set(auth(token))
      .send({ name: '李', idNumber: '620422194501010018', regionCode: '620422100', livingArrangement: 'home', categories: [] })
      .expect(400);
    await http().get(`/admin/queues?token=${token}`);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(3); // the requests were logged at all
    // the contract's masked form: first 6 and last 1; never the earlier form that kept the sequence digits
    expect(log).toContain('620422***********7');
    expect(log).not.toContain('********0017');
    expect(log).not.toContain(idNumber);
    expect(log).not.toContain('620422194501010018');
    expect(log).not.toContain(ADMIN_PASSWORD);
    expect(log).not.toContain(token);
  });
});
