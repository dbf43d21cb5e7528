import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuthService } from '@care/auth';
import { FieldCipher, maskIdNumber, type AppConfig } from '@care/core';
import { buildIdNumber } from '@care/demo';
import { ADMIN_PASSWORD, auth, createTestConfig } from '@care/testing';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { rotationComplete } from '@care/residents';
import { ROTATION_ACTION, runDataKeyRotation } from '../../apps/api/src/cli/rotate-data-key';
import { buildApp } from '../support/apps';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist/apps/api/src/cli/rotate-data-key.js');
const KEY_A = Buffer.alloc(32, 0xa1);
const KEY_B = Buffer.alloc(32, 0xb2);
const TOWNSHIP = '620422102';

/** The built CLI, as an operator runs it (npm test builds first). */
function runCli(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`CLI did not finish: ${out}`))), 60_000);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (clearTimeout(timer), resolve({ code, out })));
  });
}

/**
 * Rotating DATA_ENCRYPTION_KEY on a live system: residents registered under key A; the api restarted with new = B
 * and previous = A keeps finding and showing them; the rotation runs while residents are being registered; then,
 * with B alone, everything still works, and an elder is never registered twice across the rotation.
 */
describe('data-key rotation (e2e)', () => {
  let base: AppConfig;
  let drop: () => Promise<void>;
  let app: INestApplication | null = null;
  let token = '';
  const withKeys = (current: Buffer, previous: Buffer | null): AppConfig => ({
    ...base,
    dataEncryptionKey: current,
    previousDataEncryptionKey: previous,
  });
  const start = async (config: AppConfig) => {
    await app?.close();
    app = await createApiApp(config);
    await app.init();
    token = (await app.get(AuthService).login('admin', ADMIN_PASSWORD)).accessToken;
  };
  const api = () => request(app!.getHttpServer());
  const db = () => app!.get(DataSource);

  let sequence = 100;
  const newElder = () => {
    const n = sequence++;
    return buildIdNumber('620422', '1948-03-15', n, n % 2 ? 'male' : 'female');
  };
  const register = (idNumber: string) =>
    api()
      .post('/api/v1/residents')
      .set(auth(token))
      .send({ name: '轮换测试', idNumber, regionCode: TOWNSHIP, livingArrangement: 'home', categories: ['destitute'] });
  const lookUp = async (idNumber: string): Promise<string[]> => {
    const res = await api().get('/api/v1/residents').query({ idNumber }).set(auth(token));
    expect(res.status).toBe(200);
    return (res.body.items as { id: string }[]).map((r) => r.id);
  };
  /** Every stored row opens under `cipher`'s current key and carries its hash. */
  const storedUnder = async (key: Buffer): Promise<{ current: number; other: number }> => {
    const cipher = new FieldCipher(key);
    const rows = await db().query<{ id_number_cipher: string; id_number_hash: string }[]>(
      'SELECT id_number_cipher, id_number_hash FROM residents',
    );
    let current = 0;
    for (const row of rows) {
      try {
        if (cipher.lookupHash(cipher.decrypt(row.id_number_cipher)) === row.id_number_hash) current++;
      } catch {
        // sealed with another key
      }
    }
    return { current, other: rows.length - current };
  };

  const before: { id: string; idNumber: string }[] = [];

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build:server" first (npm test builds)`);
    const made = await createTestConfig(buildApp, 'rotatekey');
    base = made.config;
    drop = made.drop;
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('residents registered under key A', async () => {
    await start(withKeys(KEY_A, null));
    for (let i = 0; i < 23; i++) {
      const idNumber = newElder();
      const res = await register(idNumber);
      expect(res.status).toBe(201);
      before.push({ id: res.body.id as string, idNumber });
    }
    expect(await storedUnder(KEY_A)).toEqual({ current: 23, other: 0 });
    // the control: with B alone and no previous key, they are not found (so what follows is the dual key's doing)
    await start(withKeys(KEY_B, null));
    expect(await lookUp(before[0].idNumber)).toEqual([]);
  });

  it('restarted with new = B, previous = A: exact look-ups, records, placement by ID number, no duplicate', async () => {
    await start(withKeys(KEY_B, KEY_A));
    for (const elder of before.slice(0, 5)) expect(await lookUp(elder.idNumber)).toEqual([elder.id]);
    const search = await api().get('/api/v1/residents').query({ q: before[1].idNumber }).set(auth(token));
    expect(search.body.items.map((r: { id: string }) => r.id)).toEqual([before[1].id]);
    const record = await api().get(`/api/v1/residents/${before[2].id}`).set(auth(token));
    expect(record.status).toBe(200);
    expect(record.body.idNumberMasked).toBe(
      `${before[2].idNumber.slice(0, 6)}***********${before[2].idNumber.slice(17)}`,
    );
    // the desk: an elder brought onto a waitlist by the full number
    const facility = await api().post('/api/v1/facilities').set(auth(token)).send({
      name: '轮换测试敬老院',
      type: 'nursing_home',
      regionCode: TOWNSHIP,
      lat: 35.7,
      lng: 105.05,
      ownership: 'public',
      comprehensive: false,
    });
    expect(facility.status).toBe(201);
    const waitlisted = await api()
      .post(`/api/v1/facilities/${facility.body.id}/waitlist`)
      .set(auth(token))
      .send({ idNumber: before[3].idNumber });
    expect(waitlisted.status).toBe(201);
    // and admitted by the full number: the admission's own look-up (on the hot path) takes both hashes too
    const bed = await api()
      .post(`/api/v1/facilities/${facility.body.id}/beds`)
      .set(auth(token))
      .send({ room: '101', label: '1', type: 'nursing' });
    expect(bed.status).toBe(201);
    const admitted = await api()
      .post(`/api/v1/facilities/${facility.body.id}/admissions`)
      .set(auth(token))
      .send({ idNumber: before[3].idNumber, bedId: bed.body.id });
    expect(admitted.status).toBe(201);
    expect(admitted.body.residentId).toBe(before[3].id);
    // an elder still stored under A's hash is not registered a second time under B's
    const twice = await register(before[4].idNumber);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('RESIDENT_EXISTS');
    // new registrations are written under B at once
    const fresh = newElder();
    const created = await register(fresh);
    expect(created.status).toBe(201);
    before.push({ id: created.body.id as string, idNumber: fresh });
    expect(await storedUnder(KEY_B)).toEqual({ current: 1, other: 23 });
  });

  it('the rotation runs while residents are registered (new ones and duplicates): nothing lost, nothing twice', async () => {
    const during: { idNumber: string; status: number; id?: string }[] = [];
    let rotating = true;
    let overlapping = 0; // registrations answered while the rotation was still running
    const racing: number[][] = []; // the statuses of two registrations of one new elder sent at once
    const updatedAt = async () =>
      (
        await db().query<{ id: string; updated_at: Date }[]>('SELECT id, updated_at FROM residents WHERE id IN (?)', [
          before.slice(0, 23).map((b) => b.id),
        ])
      )
        .map((r) => `${r.id} ${new Date(r.updated_at).toISOString()}`)
        .sort();
    const updatedBefore = await updatedAt();
    const registrations = (async () => {
      let i = 0;
      // at least a few rounds, and as long as the rotation runs: one new elder, one already registered, one new
      // elder twice at once
      while (rotating || i < 4) {
        const idNumber = newElder();
        const res = await register(idNumber);
        if (rotating) overlapping++;
        during.push({ idNumber, status: res.status, id: res.body.id as string | undefined });
        const again = await register(before[i % before.length].idNumber);
        during.push({ idNumber: before[i % before.length].idNumber, status: again.status });
        const twin = newElder();
        const pair = await Promise.all([register(twin), register(twin)]);
        racing.push(pair.map((r) => r.status).sort());
        const won = pair.find((r) => r.status === 201);
        if (won) during.push({ idNumber: twin, status: 201, id: won.body.id as string });
        i++;
      }
    })();
    const tally = await runDataKeyRotation(withKeys(KEY_B, KEY_A), { batchSize: 1, log: () => undefined }).finally(
      () => (rotating = false),
    );
    await registrations;

    expect(tally.unreadable).toEqual([]);
    expect(tally.duplicates).toEqual([]);
    expect(tally.reencrypted).toBe(23);
    expect(tally.batches).toBeGreaterThan(1);
    expect(overlapping).toBeGreaterThan(0);
    const fresh = during.filter((d) => !before.some((b) => b.idNumber === d.idNumber));
    const repeated = during.filter((d) => before.some((b) => b.idNumber === d.idNumber));
    expect(fresh.every((d) => d.status === 201)).toBe(true);
    expect(repeated.every((d) => d.status === 409)).toBe(true);
    expect(repeated.length).toBeGreaterThanOrEqual(4);
    expect(racing.every((statuses) => statuses.join() === '201,409')).toBe(true);
    for (const d of fresh) before.push({ id: d.id!, idNumber: d.idNumber });

    const total = before.length;
    expect(await updatedAt()).toEqual(updatedBefore); // the number did not change: statistics see no change
    expect(await storedUnder(KEY_B)).toEqual({ current: total, other: 0 });
    const [rows] = await db().query<{ n: string }[]>('SELECT COUNT(*) AS n FROM residents');
    expect(Number(rows.n)).toBe(total);

    // the audit trail: the system re-encrypted exactly the 23 residents stored under A
    const events = await db().query<
      { role: string; actor_id: string | null; resident_ids: string | string[]; at: Date }[]
    >('SELECT role, actor_id, resident_ids, at FROM audit_events WHERE action = ? ORDER BY at', [ROTATION_ACTION]);
    // one event per batch that changed rows: one row per batch here
    expect(events.length).toBe(23);
    expect(events.every((e) => e.role === 'system' && e.actor_id === null)).toBe(true);
    const audited = events.flatMap(
      (e) => (typeof e.resident_ids === 'string' ? JSON.parse(e.resident_ids) : e.resident_ids) as string[],
    );
    expect(audited.sort()).toEqual(
      before
        .slice(0, 23)
        .map((b) => b.id)
        .sort(),
    );
    // registrations really went on between the rotation's batches: one was committed between its first and last
    const [interleaved] = await db().query<{ n: string }[]>(
      'SELECT COUNT(*) AS n FROM residents WHERE id IN (?) AND created_at > ? AND created_at < ?',
      [fresh.map((d) => d.id), events[0].at, events[events.length - 1].at],
    );
    expect(Number(interleaved.n)).toBeGreaterThan(0);
    // and the elder's own question, "who changed my record", answers it
    const trail = await api()
      .get('/api/v1/audit-events')
      .query({ residentId: before[0].id, action: ROTATION_ACTION })
      .set(auth(token));
    expect(trail.status).toBe(200);
    expect(trail.body.items).toHaveLength(1);
    expect(trail.body.items[0]).toMatchObject({ role: 'system', actorId: null, action: ROTATION_ACTION });
  });

  it('run again (the built CLI, as an operator does): nothing to do, counts only', async () => {
    const second = await runCli({
      DATABASE_URL: base.databaseUrl,
      DATA_ENCRYPTION_KEY: KEY_B.toString('hex'),
      DATA_ENCRYPTION_KEY_PREVIOUS: KEY_A.toString('hex'),
    });
    expect(second.code).toBe(0);
    expect(second.out).toContain(
      `examined ${before.length}, re-encrypted 0, already under the current key ${before.length}`,
    );
    for (const elder of before) {
      expect(second.out).not.toContain(elder.idNumber);
      expect(second.out).not.toContain(elder.idNumber.slice(6, 14));
    }
    const [events] = await db().query<{ n: string }[]>('SELECT COUNT(*) AS n FROM audit_events WHERE action = ?', [
      ROTATION_ACTION,
    ]);
    const [afterFirst] = await db().query<{ n: string }[]>(
      'SELECT COUNT(DISTINCT request_id) AS n FROM audit_events WHERE action = ?',
      [ROTATION_ACTION],
    );
    expect(Number(afterFirst.n)).toBe(1); // the second run changed nothing, so it left no event
    expect(Number(events.n)).toBeGreaterThan(0);
    // without the previous key there is nothing to rotate from: refused, with the variable named
    const refused = await runCli({ DATABASE_URL: base.databaseUrl, DATA_ENCRYPTION_KEY: KEY_B.toString('hex') });
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/DATA_ENCRYPTION_KEY_PREVIOUS must be set/);
  });

  it('with B alone (the previous key removed): look-ups, records and the duplicate check still work', async () => {
    await start(withKeys(KEY_B, null));
    for (const elder of before) expect(await lookUp(elder.idNumber)).toEqual([elder.id]);
    const record = await api().get(`/api/v1/residents/${before[0].id}`).set(auth(token));
    expect(record.status).toBe(200);
    for (const elder of [before[0], before[before.length - 1]]) {
      const twice = await register(elder.idNumber);
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('RESIDENT_EXISTS');
    }
    expect((await register(newElder())).status).toBe(201);
  });

  it('an elder stored twice (once under each key, by a process that held only the old key): reported, left as it was', async () => {
    const a = new FieldCipher(KEY_A);
    const insert = async (idNumber: string): Promise<string> => {
      const id = randomUUID();
      await db().query(
        `INSERT INTO residents (id, name, id_number_cipher, id_number_hash, id_number_masked, gender, birth_date,
           region_code, living_arrangement) VALUES (?, '旧密钥进程', ?, ?, ?, 'male', '1948-03-15', ?, 'home')`,
        [id, a.encrypt(idNumber), a.lookupHash(idNumber), maskIdNumber(idNumber), TOWNSHIP],
      );
      return id;
    };
    const twice = await insert(before[0].idNumber); // already stored under B
    const singleNumber = newElder();
    const single = await insert(singleNumber);
    const tally = await runDataKeyRotation(withKeys(KEY_B, KEY_A), { log: () => undefined });
    expect(tally.duplicates).toEqual([twice]);
    expect(tally.reencrypted).toBe(1); // the rest of the batch still moves
    expect(rotationComplete(tally)).toBe(false);
    const [left] = await db().query<{ id_number_hash: string }[]>('SELECT id_number_hash FROM residents WHERE id = ?', [
      twice,
    ]);
    expect(left.id_number_hash).toBe(a.lookupHash(before[0].idNumber));
    const [moved] = await db().query<{ id_number_hash: string }[]>(
      'SELECT id_number_hash FROM residents WHERE id = ?',
      [single],
    );
    expect(moved.id_number_hash).toBe(new FieldCipher(KEY_B).lookupHash(singleNumber));
    expect(await lookUp(before[0].idNumber)).toEqual([before[0].id]);
  });
});
