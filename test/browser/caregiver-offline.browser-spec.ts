/**
 * The caregiver app without signal, in a real browser (Debian's Chromium driven by playwright-core) against the api
 * started through the e2e harness: the caregiver opens the day's visits online (the service worker installs and the
 * day is kept in IndexedDB), loses the network (`context.setOffline(true)`), reopens the app, checks in and out, sees
 * both waiting to be sent (待上传), gets the network back, and the server then holds exactly one check-in and one
 * check-out, dated by the phone. A second visit is checked in with no position at all: it says so on screen and the
 * server records it as not located (no substituted coordinates). Screenshots land in test-artifacts/browser-offline/.
 *
 * Needs MariaDB, Redis and Chromium at /usr/bin/chromium (or CHROMIUM_PATH); builds the console when it is older
 * than its sources.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { countyDate, countyMinutesOfDay } from '@care/core/time';
import { auth, createTestApp, type TestContext } from '@care/testing';
import { assignInSql } from '@care/care-orders/test-support';
import { buildApp } from '../support/apps';

const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'browser-offline');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASSWORD = 'offline-pass-123';
const SEAT = { lat: 35.6929, lng: 105.0466 };
const HOME = { lat: SEAT.lat + 0.002, lng: SEAT.lng + 0.002 };

let t: TestContext;
let base: string;
let ctx: BrowserContext;
let userDataDir: string;
const pageErrors: string[] = [];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function ensureConsoleBuilt(): void {
  const index = join(ROOT, 'dist', 'console', 'index.html');
  const src = join(ROOT, 'apps', 'console');
  const sourcesTime = Math.max(
    newestMtime(join(src, 'src')),
    statSync(join(src, 'index.html')).mtimeMs,
    statSync(join(src, 'pwa.plugin.ts')).mtimeMs,
  );
  if (existsSync(index) && existsSync(join(ROOT, 'dist', 'console', 'sw.js')) && statSync(index).mtimeMs >= sourcesTime)
    return;
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'apps/console/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
}

type Json = Record<string, unknown>;

async function api<T = Json>(method: 'get' | 'post', path: string, token: string, body?: object): Promise<T> {
  const req = t.http()[method](`/api/v1${path}`).set(auth(token));
  const res = body === undefined ? await req : await req.send(body);
  if (res.status < 200 || res.status > 299)
    throw new Error(`${method.toUpperCase()} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

const countyDay = (d = new Date()) => countyDate(d);
const countyMinutes = (d = new Date()) => countyMinutesOfDay(d);
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** A valid resident ID number (GB 11643-1999). */
function idNumber(birth: string, seq: number): string {
  const body = `620422${birth.replace(/-/g, '')}${String(seq % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}

async function eventually(assertion: () => Promise<void> | void, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}
const attr = (l: Locator, name: string, value: string) =>
  eventually(async () => expect(await l.getAttribute(name)).toBe(value));
const count = (l: Locator, n: number) => eventually(async () => expect(await l.count()).toBe(n));
const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

interface VisitRow {
  checked_in_at: Date;
  check_in_recorded_at: Date | null;
  check_in_received_at: Date | null;
  checked_out_at: Date | null;
  check_out_recorded_at: Date | null;
  check_out_received_at: Date | null;
  check_in_lat: string | null;
  flag_no_location: number;
  flag_proxy: number;
  flag_clock: number;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  ensureConsoleBuilt();
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  t = await createTestApp(buildApp, 'pwa');
  await t.app.listen(0, '127.0.0.1');
  // http on localhost is a secure context: service workers and geolocation work as on https
  base = `http://localhost:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  userDataDir = mkdtempSync(join(tmpdir(), 'caregiver-chromium-'));
  ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=zh-CN',
    ],
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 390, height: 844 },
    geolocation: { latitude: HOME.lat, longitude: HOME.lng },
    permissions: ['geolocation'],
  });
}, 240_000);

afterAll(async () => {
  await ctx?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await t?.close();
}, 60_000);

describe('caregiver app without signal', () => {
  it('opens offline, queues check-in and check-out with the phone’s times, sends each exactly once when back online', async () => {
    const sp = await api<{ id: string }>('post', '/service-points', t.adminToken, {
      name: '会师镇西关服务网点',
      regionCode: '620422100',
      ...SEAT,
    });
    const cg = await api<{ id: string }>('post', '/caregivers', t.adminToken, {
      name: '王秀英',
      phone: '13800000001',
      gender: 'female',
      servicePointId: sp.id,
      skills: ['housekeeping', 'health', 'personal_care'],
      shiftStart: '00:00',
      shiftEnd: '23:59',
      maxDailyVisits: 8,
    });
    const residents: string[] = [];
    for (const [i, name] of ['李德明', '赵桂兰'].entries()) {
      const r = await api<{ id: string }>('post', '/residents', t.adminToken, {
        name,
        idNumber: idNumber('1945-01-01', 11 + i * 2),
        regionCode: '620422100',
        livingArrangement: 'home',
        categories: ['destitute'],
        address: `会师镇西关村${3 + i}号`,
        ...HOME,
      });
      residents.push(r.id);
    }
    // visits later today (tomorrow when the county's day is nearly over), assigned as the dispatcher would
    const now = countyMinutes();
    const late = now > 22 * 60;
    const day = late ? countyDay(new Date(Date.now() + 86_400_000)) : countyDay();
    const from = late ? 8 * 60 : Math.ceil((now + 5) / 5) * 5;
    const orders: string[] = [];
    for (const [i, residentId] of residents.entries()) {
      const o = await api<{ id: string }>('post', '/care-orders', t.adminToken, {
        residentId,
        services: ['health_check', 'safety_check'],
        windowStart: `${day}T${hhmm(from)}:00+08:00`,
        windowEnd: `${day}T23:55:00+08:00`,
      });
      const start = from + i * 40;
      await assignInSql(t.db, o.id, cg.id, `${day}T${hhmm(start)}:00+08:00`, `${day}T${hhmm(start + 30)}:00+08:00`);
      orders.push(o.id);
    }
    const [orderId, noFixOrderId] = orders;
    const username = `caregiver.${Math.random().toString(36).slice(2, 8)}`;
    await api('post', '/users', t.adminToken, { username, password: PASSWORD, role: 'caregiver', caregiverId: cg.id });
    const login = await t.http().post('/api/v1/auth/login').send({ username, password: PASSWORD }).expect(200);
    const caregiverToken = login.body.accessToken as string;

    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      // online: log in, see the day, accept (the service worker installs meanwhile)
      await page.goto(`${base}/#/login`);
      await page.fill('input[name=username]', username);
      await page.fill('input[name=password]', PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForURL(/#\/visits/);
      if (late) await page.click('.seg button:has-text("明天")');
      const card = page.locator(`[data-testid=visit-${orderId}]`);
      const noFixCard = page.locator(`[data-testid=visit-${noFixOrderId}]`);
      await attr(card, 'data-status', 'assigned');
      await card.locator('[data-testid=accept]').click();
      await attr(card, 'data-status', 'accepted');
      await noFixCard.locator('[data-testid=accept]').click();
      await attr(noFixCard, 'data-status', 'accepted');
      expect((await api<Json>('get', `/care-orders/${orderId}`, t.adminToken)).status).toBe('accepted');
      // the installable app: a web manifest, and a service worker that controls the page
      const manifest = await t.http().get('/manifest.webmanifest').expect(200);
      expect(JSON.parse(manifest.text)).toMatchObject({ display: 'standalone', start_url: '/#/visits' });
      await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
      await page.reload();
      await page.waitForSelector(`[data-testid=visit-${orderId}]`);
      expect(await page.evaluate('navigator.serviceWorker.controller !== null')).toBe(true);
      await shot(page, '01-online-accepted');

      // no signal: the app opens from the service worker's cache and shows the day it last fetched
      await ctx.setOffline(true);
      await page.reload();
      if (late) await page.click('.seg button:has-text("明天")');
      await page.waitForSelector('[data-testid=offline-banner]');
      await attr(card, 'data-status', 'accepted');
      await shot(page, '02-offline-opened');

      const inFrom = Date.now();
      await card.locator('[data-testid=check-in]').click();
      await attr(card, 'data-status', 'in_progress');
      const inTo = Date.now();
      await count(page.locator('[data-testid=outbox-item]'), 1);
      await card.locator('[data-testid=pending-upload]').waitFor();
      await page.waitForTimeout(1500);
      await card.locator('[data-testid=check-out]').click();
      await page.fill('input[name=systolic]', '132');
      await page.fill('input[name=diastolic]', '84');
      const outFrom = Date.now();
      await page.click('[data-testid=confirm-check-out]');
      await attr(card, 'data-status', 'completed');
      const outTo = Date.now();
      await count(page.locator('[data-testid=outbox-item]'), 2);

      // the second visit: the phone has no position; the check-in says so and carries none
      await ctx.clearPermissions();
      await noFixCard.locator('[data-testid=check-in]').click();
      await page.waitForSelector('[data-testid=nogeo-note]');
      expect(await page.locator('[data-testid=nogeo-note]').textContent()).toContain('未定位');
      await shot(page, '03-offline-no-position');
      await page.click('[data-testid=confirm-checkin-nogeo]');
      await attr(noFixCard, 'data-status', 'in_progress');
      await count(page.locator('[data-testid=outbox-item]'), 3);
      expect(await page.locator('[data-testid=outbox]').textContent()).toContain('待上传');
      await shot(page, '04-offline-waiting');
      // the server has heard nothing yet
      expect((await api<Json>('get', `/care-orders/${orderId}`, t.adminToken)).status).toBe('accepted');
      // (this file is type-checked without the DOM library: the page's code goes as a string)
      const queue = (await page.evaluate(`new Promise((resolve, reject) => {
        const req = indexedDB.open('care-caregiver');
        req.onsuccess = () => {
          const all = req.result.transaction('outbox').objectStore('outbox').getAll();
          all.onsuccess = () => resolve(all.result);
          all.onerror = () => reject(all.error);
        };
        req.onerror = () => reject(req.error);
      })`)) as { orderId: string; kind: string; idempotencyKey: string; body: Record<string, unknown> }[];
      expect(queue.map((q) => q.kind)).toEqual(['check_in', 'check_out', 'check_in']);
      expect(queue[2].body).not.toHaveProperty('lat');

      // the network returns: the queue goes out in order, once
      await page.waitForTimeout(1500);
      const backOnline = Date.now();
      await ctx.setOffline(false);
      await count(page.locator('[data-testid=outbox-item]'), 0);
      await eventually(async () =>
        expect((await api<Json>('get', `/care-orders/${orderId}`, t.adminToken)).status).toBe('completed'),
      );
      await attr(card, 'data-status', 'completed');
      await page.waitForSelector('[data-testid=offline-banner]', { state: 'detached' });
      await shot(page, '05-back-online-sent');

      // a phone that lost the answers sends the same queue again: each is answered as the first time, done once
      for (const q of queue) {
        const path = q.kind === 'check_in' ? 'check-in' : 'check-out';
        const res = await t
          .http()
          .post(`/api/v1/care-orders/${q.orderId}/${path}`)
          .set(auth(caregiverToken))
          .set('Idempotency-Key', q.idempotencyKey)
          .send(q.body)
          .expect(200);
        expect(res.headers['idempotent-replayed']).toBe('true');
      }

      const visits = (await t.db.query('SELECT * FROM care_visits WHERE order_id = ?', [orderId])) as VisitRow[];
      expect(visits).toHaveLength(1);
      const [visit] = visits;
      const keys = (await t.db.query(`SELECT endpoint FROM idempotency_keys WHERE order_id = ? ORDER BY created_at`, [
        orderId,
      ])) as { endpoint: string }[];
      expect(keys.map((k) => k.endpoint)).toEqual([
        'POST /care-orders/:id/accept',
        'POST /care-orders/:id/check-in',
        'POST /care-orders/:id/check-out',
      ]);
      // the phone's times: when the caregiver tapped, not when the server heard of it
      const within = (d: Date | null, from: number, to: number) => {
        expect(d).not.toBeNull();
        expect((d as Date).getTime()).toBeGreaterThanOrEqual(from - 5);
        expect((d as Date).getTime()).toBeLessThanOrEqual(to + 5);
      };
      within(visit.check_in_recorded_at, inFrom, inTo);
      within(visit.checked_in_at, inFrom, inTo);
      within(visit.check_out_recorded_at, outFrom, outTo);
      within(visit.checked_out_at, outFrom, outTo);
      expect((visit.check_in_received_at as Date).getTime()).toBeGreaterThanOrEqual(backOnline);
      expect((visit.check_out_received_at as Date).getTime()).toBeGreaterThanOrEqual(backOnline);
      expect(Number(visit.check_in_lat)).toBeCloseTo(HOME.lat, 5);
      expect([visit.flag_no_location, visit.flag_proxy, visit.flag_clock].map(Number)).toEqual([0, 0, 0]);
      const order = await api<{ status: string; visit: { checkInRecordedAt: string; checkOutRecordedAt: string } }>(
        'get',
        `/care-orders/${orderId}`,
        t.adminToken,
      );
      expect(Math.floor(Date.parse(order.visit.checkInRecordedAt) / 1000)).toBe(
        Math.floor((visit.check_in_recorded_at as Date).getTime() / 1000),
      );

      // the visit with no position: not located, no coordinates of anyone's
      const noFix = await api<{
        status: string;
        flags: string[];
        visit: { checkInLat: number | null; checkInLng: number | null };
      }>('get', `/care-orders/${noFixOrderId}`, t.adminToken);
      expect(noFix.status).toBe('in_progress');
      expect(noFix.flags).toContain('no_location');
      expect(noFix.visit).toMatchObject({ checkInLat: null, checkInLng: null });
    } catch (error) {
      await page.screenshot({ path: join(ARTIFACTS, 'FAILED.png'), fullPage: true }).catch(() => undefined);
      throw error;
    } finally {
      await page.close();
    }
    expect(pageErrors).toEqual([]);
  }, 180_000);
});

describe('caregiver app from a cold start', () => {
  /** Two visits assigned to a new caregiver with a login of their own. */
  async function seedDay(tag: string, seq: number) {
    const sp = await api<{ id: string }>('post', '/service-points', t.adminToken, {
      name: `会师镇${tag}服务网点`,
      regionCode: '620422100',
      ...SEAT,
    });
    const cg = await api<{ id: string }>('post', '/caregivers', t.adminToken, {
      name: '张玉梅',
      phone: '13800000002',
      gender: 'female',
      servicePointId: sp.id,
      skills: ['housekeeping', 'health', 'personal_care'],
      shiftStart: '00:00',
      shiftEnd: '23:59',
      maxDailyVisits: 8,
    });
    const now = countyMinutes();
    const late = now > 22 * 60;
    const day = late ? countyDay(new Date(Date.now() + 86_400_000)) : countyDay();
    const from = late ? 8 * 60 : Math.ceil((now + 5) / 5) * 5;
    const orders: string[] = [];
    for (const [i, name] of ['孙建国', '周淑芬'].entries()) {
      const r = await api<{ id: string }>('post', '/residents', t.adminToken, {
        name,
        idNumber: idNumber('1946-02-02', seq + i * 2),
        regionCode: '620422100',
        livingArrangement: 'home',
        categories: ['destitute'],
        address: `会师镇东关村${7 + i}号`,
        ...HOME,
      });
      const o = await api<{ id: string }>('post', '/care-orders', t.adminToken, {
        residentId: r.id,
        services: ['health_check', 'safety_check'],
        windowStart: `${day}T${hhmm(from)}:00+08:00`,
        windowEnd: `${day}T23:55:00+08:00`,
      });
      const start = from + i * 40;
      await assignInSql(t.db, o.id, cg.id, `${day}T${hhmm(start)}:00+08:00`, `${day}T${hhmm(start + 30)}:00+08:00`);
      orders.push(o.id);
    }
    const username = `caregiver.${Math.random().toString(36).slice(2, 8)}`;
    await api('post', '/users', t.adminToken, { username, password: PASSWORD, role: 'caregiver', caregiverId: cg.id });
    return { orders, username, late };
  }

  /** Logs in from whatever the browser kept (an earlier test's caregiver stays signed in: that is the point). */
  async function uiLogin(page: Page, username: string) {
    await page.evaluate("localStorage.removeItem('care.console.token'); localStorage.removeItem('care.console.user')");
    await page.goto(`${base}/#/login`);
    await page.reload();
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/#\/visits/);
  }

  /** The server has the acceptances and the day kept on the phone was fetched after them. */
  async function keepDayAccepted(page: Page, orders: string[], late: boolean) {
    for (const id of orders)
      await eventually(async () =>
        expect((await api<Json>('get', `/care-orders/${id}`, t.adminToken)).status).toBe('accepted'),
      );
    await page.reload();
    if (late) await page.click('.seg button:has-text("明天")');
    for (const id of orders) await attr(page.locator(`[data-testid=visit-${id}]`), 'data-status', 'accepted');
    await count(page.locator('[data-testid=outbox-item]'), 0);
  }

  const stored = (page: Page) =>
    page.evaluate<{ local: string | null; tab: string | null }>(
      "({ local: localStorage.getItem('care.console.token'), tab: sessionStorage.getItem('care.console.token') })",
    );

  const visitCount = async (orderId: string, endpoint: string) => {
    const rows = (await t.db.query('SELECT COUNT(*) AS n FROM idempotency_keys WHERE order_id = ? AND endpoint = ?', [
      orderId,
      endpoint,
    ])) as { n: number | string }[];
    return Number(rows[0].n);
  };

  it('reopened without network shows the kept day and the queue, and sends the check-ins once when back online', async () => {
    await ctx.setOffline(false);
    await ctx.grantPermissions(['geolocation']);
    const { orders, username, late } = await seedDay('东关', 31);
    const [first, second] = orders;

    // online: log in, let the day load, accept both visits; the caregiver's session is kept in localStorage
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${base}/#/login`);
    await uiLogin(page, username);
    if (late) await page.click('.seg button:has-text("明天")');
    for (const id of orders) {
      const card = page.locator(`[data-testid=visit-${id}]`);
      await attr(card, 'data-status', 'assigned');
      await card.locator('[data-testid=accept]').click();
      await attr(card, 'data-status', 'accepted');
    }
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    await keepDayAccepted(page, orders, late);
    const kept = await stored(page);
    expect(kept.local).toEqual(expect.any(String));
    expect(kept.tab).toBeNull();

    // no signal: check in the first visit (it waits in the queue), then close the app
    await ctx.setOffline(true);
    await page.locator(`[data-testid=visit-${first}] [data-testid=check-in]`).click();
    await attr(page.locator(`[data-testid=visit-${first}]`), 'data-status', 'in_progress');
    await count(page.locator('[data-testid=outbox-item]'), 1);
    await page.close();

    // a cold start, still without network: a new page, no sessionStorage; the day and the queue are there
    const cold = await ctx.newPage();
    cold.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await cold.goto(`${base}/#/visits`);
      await cold.waitForSelector('[data-testid=offline-banner]');
      if (late) await cold.click('.seg button:has-text("明天")');
      const firstCard = cold.locator(`[data-testid=visit-${first}]`);
      const secondCard = cold.locator(`[data-testid=visit-${second}]`);
      await attr(firstCard, 'data-status', 'in_progress');
      await firstCard.locator('[data-testid=pending-upload]').waitFor();
      await attr(secondCard, 'data-status', 'accepted');
      await count(cold.locator('[data-testid=outbox-item]'), 1);
      expect(await cold.locator('[data-testid=outbox]').textContent()).toContain('待上传');
      expect(await cold.locator('input[name=password]').count()).toBe(0);
      await shot(cold, '06-cold-start-offline');

      await secondCard.locator('[data-testid=check-in]').click();
      await attr(secondCard, 'data-status', 'in_progress');
      await count(cold.locator('[data-testid=outbox-item]'), 2);
      expect((await api<Json>('get', `/care-orders/${second}`, t.adminToken)).status).toBe('accepted');

      // the network returns: both check-ins go out, once each
      await ctx.setOffline(false);
      await count(cold.locator('[data-testid=outbox-item]'), 0);
      for (const id of orders) {
        await eventually(async () =>
          expect((await api<Json>('get', `/care-orders/${id}`, t.adminToken)).status).toBe('in_progress'),
        );
        expect(await visitCount(id, 'POST /care-orders/:id/check-in')).toBe(1);
        const visits = (await t.db.query('SELECT order_id FROM care_visits WHERE order_id = ?', [id])) as unknown[];
        expect(visits).toHaveLength(1);
      }
      await shot(cold, '07-cold-start-sent');

      // logging out forgets the kept session
      await cold.click('button:has-text("退出")');
      await cold.waitForSelector('input[name=username]');
      expect(await stored(cold)).toEqual({ local: null, tab: null });
    } catch (error) {
      await cold.screenshot({ path: join(ARTIFACTS, 'FAILED-cold.png'), fullPage: true }).catch(() => undefined);
      throw error;
    } finally {
      await cold.close();
    }
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('a 401 when the queue goes out sends the caregiver to log in again, and the queue is kept and sent after', async () => {
    await ctx.setOffline(false);
    await ctx.grantPermissions(['geolocation']);
    const { orders, username, late } = await seedDay('北关', 51);
    const [orderId] = orders;

    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await page.goto(`${base}/#/login`);
      await uiLogin(page, username);
      if (late) await page.click('.seg button:has-text("明天")');
      const card = page.locator(`[data-testid=visit-${orderId}]`);
      await card.locator('[data-testid=accept]').click();
      await attr(card, 'data-status', 'accepted');
      await keepDayAccepted(page, [orderId], late);

      await ctx.setOffline(true);
      await card.locator('[data-testid=check-in]').click();
      await count(page.locator('[data-testid=outbox-item]'), 1);
      // the kept token is no longer accepted (as after a password change): the server answers 401
      await page.evaluate("localStorage.setItem('care.console.token', 'not-a-valid-token')");
      await ctx.setOffline(false);
      await page.waitForSelector('input[name=username]');
      expect(await stored(page)).toEqual({ local: null, tab: null });
      expect(await visitCount(orderId, 'POST /care-orders/:id/check-in')).toBe(0);
      const left = (await page.evaluate(`new Promise((resolve, reject) => {
        const req = indexedDB.open('care-caregiver');
        req.onsuccess = () => {
          const all = req.result.transaction('outbox').objectStore('outbox').getAll();
          all.onsuccess = () => resolve(all.result);
          all.onerror = () => reject(all.error);
        };
        req.onerror = () => reject(req.error);
      })`)) as { orderId: string; kind: string }[];
      expect(left.filter((q) => q.orderId === orderId).map((q) => q.kind)).toEqual(['check_in']);

      // logged in again: the kept check-in is sent, once
      await uiLogin(page, username);
      await count(page.locator('[data-testid=outbox-item]'), 0);
      await eventually(async () =>
        expect((await api<Json>('get', `/care-orders/${orderId}`, t.adminToken)).status).toBe('in_progress'),
      );
      expect(await visitCount(orderId, 'POST /care-orders/:id/check-in')).toBe(1);
    } catch (error) {
      await page.screenshot({ path: join(ARTIFACTS, 'FAILED-401.png'), fullPage: true }).catch(() => undefined);
      throw error;
    } finally {
      await page.close();
    }
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
