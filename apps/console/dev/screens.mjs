// Development helper: screenshots of every page against the real system with the demo county (`npm run demo`,
// which serves the console at its root; or the vite dev server, which proxies /api to it).
//   node apps/console/dev/screens.mjs [baseUrl] [outDir]      (DEMO_PASSWORD as given to npm run demo)
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const password = process.env.DEMO_PASSWORD ?? 'demo-2026';
const out = process.argv[3] ?? 'test-artifacts/dev';
mkdirSync(out, { recursive: true });

const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'console-chromium-')), {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  viewport: { width: 1440, height: 900 },
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai', // the county's zone (libs/core/src/time)
});
const errors = [];
async function login(page, user) {
  page.on('console', (m) => m.type() === 'error' && errors.push(`[${user}] ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`[${user}] ${e.message}`));
  await page.goto(`${base}/#/login`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=current-user]');
}
const shot = (page, name, full = true) => page.screenshot({ path: join(out, `${name}.png`), fullPage: full });

let page = await browser.newPage();
await page.goto(`${base}/#/login`);
await shot(page, '00-login', false);

await login(page, 'manager');
await page.waitForSelector('[data-testid=bed-board] .bed');
await page.waitForTimeout(300);
await shot(page, '10-beds');
await page.click('[data-testid=bed-board] .bed-vacant');
await page.click('[data-testid=start-admit]');
await page.waitForTimeout(300);
await shot(page, '11-admit-dialog', false);
await page.keyboard.press('Escape');
await page.click('[data-testid=bed-board] .bed-occupied');
await page.waitForTimeout(300);
await shot(page, '12-bed-dialog', false);
await page.keyboard.press('Escape');
await page.evaluate(() => sessionStorage.clear());
await page.close();

page = await browser.newPage();
await login(page, 'dispatcher');
await page.waitForSelector('[data-testid=timeline] .tl-visit');
await page.waitForTimeout(500);
await shot(page, '20-dispatch');
await page.evaluate(() => sessionStorage.clear());
await page.close();

page = await browser.newPage();
await login(page, 'bureau');
await page.waitForSelector('[data-testid=indicators]');
await page.waitForTimeout(1200);
await shot(page, '30-dashboard');
await page.evaluate(() => sessionStorage.clear());
await page.close();

page = await browser.newPage();
await page.setViewportSize({ width: 390, height: 844 });
await login(page, 'caregiver');
await page.waitForSelector('.visit-card');
await shot(page, '40-caregiver-phone');
// the check-out form needs a visit in progress: the demo's caregiver has one once it accepted and checked in
const checkOut = page.locator('[data-testid=check-out]');
if ((await checkOut.count()) > 0) {
  await checkOut.first().click();
  await page.waitForTimeout(300);
  await shot(page, '41-checkout-phone', false);
} else console.log('41-checkout-phone skipped: no visit in progress for caregiver today');
await page.close();

await browser.close();
console.log(errors.length ? `console errors:\n${errors.join('\n')}` : 'no console errors');
