// The web console in real headless Chromium against a real `wasmlet serve`: sign-in (no token, a wrong
// one, the #token= link), deploy through the file input, the charts and the live log after a route is
// called, async invocations, the host, and a dead letter redriven after its cause is fixed. Every wait
// is on a DOM condition. The run writes the screenshots docs/console.md shows (docs/console/*.png).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { packFunction } from '../../src/bundle/pack-function.js';
import type { FunctionBody, PeekBody } from '../../src/client/api-types.js';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { launchChromium, type HeadlessChromium } from '../support/chromium.js';
import { runCli, startServe, type ServingHost } from '../support/cli-process.js';
import { fixtureComponent, repoRoot } from '../support/paths.js';
import { waitFor } from '../support/queue-helpers.js';

const screenshotsDir = join(repoRoot, 'docs', 'console');
/** A DOM condition the console should reach within this long (its pages poll every 2–5 s). */
const domTimeoutMs = 30_000;

/** The worker forgot its publish grant in v1: every order fails ("not granted") into jobs-dlq. v2 has it. */
function workerManifest(withGrant: boolean): string {
  return `name = "order-worker"
component = "component.wasm"
${withGrant ? 'publish = ["probe-out"]\n' : ''}
[[http]]
route = "/orders"

[[queue]]
queue = "orders"
max_attempts = 1
dead_letter = "orders-dlq"
`;
}

describe('the web console in headless Chromium', () => {
  let dataDir: string;
  let host: ServingHost;
  let token: string;
  let chromium: HeadlessChromium;
  let page: Page;
  const pageErrors: string[] = [];
  const checkoutZip = () => join(dataDir, 'checkout.zip');
  /** v2 as a function folder, deployed through the console's folder picker. */
  const workerV2Folder = () => join(dataDir, 'order-worker');

  async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await fetch(`${host.urls.admin}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });
    const text = await response.text();
    assert.ok(response.ok, `${init.method ?? 'GET'} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  async function shoot(name: string): Promise<void> {
    await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true });
  }

  before(async () => {
    // `npm run build` bundles the console (tsc alone does not): say so rather than fail on a 503.
    assert.ok(existsSync(join(repoRoot, 'dist', 'console', 'index.html')), 'dist/console/ is missing: run npm run build (scripts/build-console.mjs)');
    dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-console-'));
    await mkdir(screenshotsDir, { recursive: true });
    host = await startServe(['--data-dir', dataDir, '--workers', '2']);
    token = (await host.authorization()).replace(/^Bearer /, '');
    await writeFile(checkoutZip(), bundleWith(manifestFor('checkout', '/checkout'), fixtureComponent('logger')));
    await mkdir(workerV2Folder());
    await writeFile(join(workerV2Folder(), 'wasmlet.toml'), workerManifest(true));
    await copyFile(fixtureComponent('queue-probe'), join(workerV2Folder(), 'component.wasm'));
    await writeFile(join(workerV2Folder(), 'README.md'), 'not part of the bundle\n');

    // v1 of the worker, an order it fails for want of its grant, and a few async invocations.
    await api('/v1/functions', { method: 'POST', body: bundleWith(workerManifest(false), fixtureComponent('queue-probe')) as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'application/zip' } });
    await api('/v1/functions', {
      method: 'POST',
      body: bundleWith(manifestFor('flaky', '/flaky', '[async]\nmax_retries = 0\n'), fixtureComponent('trap')) as Uint8Array<ArrayBuffer>,
      headers: { 'content-type': 'application/zip' },
    });
    await api('/v1/queues/orders/messages', { method: 'POST', body: 'order 1042', headers: { 'content-type': 'text/plain' } });
    for (const name of ['order-worker', 'order-worker', 'flaky']) await api(`/v1/functions/${name}/invoke?mode=async`, { method: 'POST', body: '{}' });
    await waitFor('the order in orders-dlq', async () => ((await api<PeekBody>('/v1/queues/orders-dlq/messages')).messages.length === 1 ? true : undefined), domTimeoutMs);

    chromium = await launchChromium([], { viewport: { width: 1360, height: 860 } });
    page = await chromium.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // The page must live within its own Content-Security-Policy (no inline script or style, nothing from elsewhere).
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) pageErrors.push(message.text());
    });
  });

  after(async () => {
    await chromium?.close();
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('without a token it asks for one, and refuses a wrong one', async () => {
    await page.goto(`${host.urls.admin}/console`);
    await page.locator('#token').waitFor();
    await shoot('sign-in');
    await page.fill('#token', 'not-the-token');
    await page.click('button[type=submit]');
    await page.getByRole('alert').filter({ hasText: 'The host refused this token' }).waitFor({ timeout: domTimeoutMs });
    assert.equal(await page.evaluate(() => sessionStorage.getItem('wasmlet.token')), null);
    assert.equal(await page.locator('.sidebar').count(), 0); // nothing of the host is shown

    // A token kept for the tab that the host no longer accepts brings the prompt back, saying so.
    await page.evaluate(() => sessionStorage.setItem('wasmlet.token', 'a-token-from-before-a-restart'));
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'The host refused the token' }).waitFor({ timeout: domTimeoutMs });
    assert.equal(await page.evaluate(() => sessionStorage.getItem('wasmlet.token')), null);
  });

  test('the link `wasmlet console` prints signs in, and the token leaves the address bar', async () => {
    const printed = await runCli(['console', '--admin-url', host.urls.admin, '--data-dir', dataDir]);
    assert.equal(printed.code, 0, printed.stderr);
    const link = printed.stdout.trim();
    assert.equal(link, `${host.urls.admin}/console#token=${encodeURIComponent(token)}`);
    await page.goto('about:blank'); // a fresh load, as `wasmlet console --open` makes
    await page.goto(link);
    await page.locator('tr[data-function="order-worker"]').waitFor({ timeout: domTimeoutMs });
    assert.equal(new URL(page.url()).hash, '');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('wasmlet.token')), token);
  });

  test('a bundle deployed through the file input is listed', async () => {
    await page.setInputFiles('input[data-zip-input]', checkoutZip());
    await page.locator('[data-deployed="checkout"]').waitFor({ timeout: domTimeoutMs });
    await page.locator('tr[data-function="checkout"]').waitFor({ timeout: domTimeoutMs });
    assert.match(await page.locator('tr[data-function="checkout"]').innerText(), /\/checkout/);
  });

  test('a bundle dropped on the page is deployed the same way; a refusal is shown in the host\'s words', async () => {
    const broken = bundleWith('name = "broken"\ncomponent = "component.wasm"\n\n[[http]]\nroute = "no-slash"\n', fixtureComponent('echo'));
    // What a browser hands the page when a file is dropped: a DataTransfer holding it.
    const dataTransfer = await page.evaluateHandle((base64) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], 'broken.zip', { type: 'application/zip' }));
      return transfer;
    }, Buffer.from(broken).toString('base64'));
    await page.dispatchEvent('.dropzone', 'dragover', { dataTransfer });
    await page.dispatchEvent('.dropzone', 'drop', { dataTransfer });
    const refusal = page.locator('.drop-status.failed');
    await refusal.waitFor({ timeout: domTimeoutMs });
    assert.match(await refusal.innerText(), /^broken\.zip was refused: .*route/);
    assert.equal(await page.locator('tr[data-function="broken"]').count(), 0);
  });

  test('after calls to its route, the request chart and the log line appear', async () => {
    await page.click('tr[data-function="checkout"] a.fn-name');
    await page.locator('.log-card').waitFor();
    const calls = 12;
    let requestId = '';
    for (let i = 0; i < calls; i++) {
      const response = await fetch(`${host.urls.http}/checkout`);
      assert.equal(response.status, 200);
      requestId = response.headers.get('x-wasmlet-request-id') ?? '';
      await response.arrayBuffer();
    }
    assert.ok(requestId);
    await page.waitForFunction((n) => Number(document.querySelector('figure[data-chart="requests"]')?.getAttribute('data-total')) >= n, calls, { timeout: domTimeoutMs });
    await page.locator(`.log-line[data-request="${requestId}"]`, { hasText: 'fx-logger: warn' }).waitFor({ timeout: domTimeoutMs });
    assert.equal(await page.locator('[data-tail]').getAttribute('data-tail'), 'live'); // streamed, not polled
    assert.ok((await page.locator('figure[data-chart="requests"] path.line').getAttribute('d'))?.startsWith('M'));
    // The crosshair and its readout, on the newest minute (the right edge of the plot).
    const latency = await page.locator('figure[data-chart="latency"] svg').boundingBox();
    assert.ok(latency);
    await page.mouse.move(latency.x + latency.width - 12, latency.y + latency.height / 2);
    await page.locator('figure[data-chart="latency"] .chart-tip').waitFor();
    await shoot('function');
    // The same page for a system in dark mode (prefers-color-scheme).
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor !== 'rgb(245, 246, 248)');
    await shoot('function-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test("the functions table shows each function's last hour", async () => {
    await page.click('a.nav-item:has-text("Functions")');
    await page.waitForFunction(() => Number(document.querySelector('tr[data-function="checkout"] .spark')?.getAttribute('data-calls')) >= 12, undefined, { timeout: domTimeoutMs });
    await page.locator('tr[data-function="flaky"] .spark-errors').waitFor({ timeout: domTimeoutMs }); // its failed async event
    await shoot('functions');
  });

  test('async invocations are listed with their states', async () => {
    await page.click('a.nav-item:has-text("Async invocations")');
    await page.locator('tr[data-state="failed"]').waitFor({ timeout: domTimeoutMs });
    await page.locator('tr[data-state="succeeded"]').nth(1).waitFor({ timeout: domTimeoutMs });
    await page.click('button[data-filter="failed"]');
    await page.waitForFunction(() => document.querySelectorAll('tr[data-state]').length === 1 && document.querySelector('tr[data-state="failed"]') !== null, undefined, { timeout: domTimeoutMs });
    await page.click('.filter:has-text("All")');
    await page.locator('tr[data-state="succeeded"]').first().waitFor({ timeout: domTimeoutMs });
    await shoot('invocations');
  });

  test('the host page shows its health', async () => {
    await page.click('a.nav-item:has-text("Host")');
    await page.locator('[data-tile="health"] .tile-value', { hasText: 'Up' }).waitFor({ timeout: domTimeoutMs });
    await page.locator('[data-tile="functions"] .tile-value', { hasText: '3' }).waitFor({ timeout: domTimeoutMs });
    await shoot('host');
  });

  test('a dead letter shows its reason; once the cause is fixed (v2 deployed as a folder), redrive delivers it', async () => {
    await page.click('a.nav-item:has-text("Queues")');
    const dlq = page.locator('[data-dlq="orders-dlq"]');
    await page.locator('[data-dlq="orders-dlq"][data-count="1"]').waitFor({ timeout: domTimeoutMs });
    assert.match(await dlq.locator('.reason').innerText(), /probe-out/); // the refused publish, as the guest reported it
    await shoot('queues');

    await page.click('a.nav-item:has-text("Functions")');
    await page.setInputFiles('input[data-folder-input]', workerV2Folder());
    await page.locator('[data-deployed="order-worker"]', { hasText: 'v2' }).waitFor({ timeout: domTimeoutMs });
    // The console zipped the folder as `wasmlet deploy <folder>` does: the same bytes, so the same digest.
    const cliBundle = await packFunction(workerV2Folder());
    const deployed = await api<FunctionBody>('/v1/functions/order-worker');
    assert.equal(deployed.function.digest, `sha256:${createHash('sha256').update(cliBundle).digest('hex')}`);

    await page.click('a.nav-item:has-text("Queues")');
    await page.locator('[data-dlq="orders-dlq"][data-count="1"]').waitFor({ timeout: domTimeoutMs });
    await page.click('button[data-redrive="orders-dlq"]');
    await page.locator('dialog.confirm button.primary').click();
    await page.getByRole('status').filter({ hasText: 'Moved 1 message from orders-dlq back to orders' }).waitFor({ timeout: domTimeoutMs });
    await page.locator('[data-dlq="orders-dlq"][data-count="0"]').waitFor({ timeout: domTimeoutMs });
    const reported = await waitFor('the redriven order handled by v2', async () => {
      const { messages } = await api<PeekBody>('/v1/queues/probe-out/messages');
      return messages.find((m) => m.text?.endsWith(' order 1042'));
    }, domTimeoutMs);
    assert.match(reported.text ?? '', /^orders \S+ 1 order 1042$/);
  });

  test('roll back asks first, then the previous version serves', async () => {
    await page.click('a.nav-item:has-text("Functions")');
    await page.click('tr[data-function="order-worker"] a.fn-name');
    await page.click('button:has-text("Roll back to v1")');
    await page.locator('dialog.confirm', { hasText: 'Roll order-worker back to v1?' }).waitFor();
    await page.locator('dialog.confirm button.primary').click();
    await page.locator('.fn-title .version', { hasText: 'v1' }).waitFor({ timeout: domTimeoutMs });
    const { function: fn } = await api<FunctionBody>('/v1/functions/order-worker');
    assert.deepEqual([fn.version, fn.previousVersion], [1, null]); // v2 left the history
  });

  test('delete asks first, then the function is gone', async () => {
    await page.click('a.nav-item:has-text("Functions")');
    await page.click('tr[data-function="flaky"] a.fn-name');
    await page.click('button:has-text("Delete")');
    await page.locator('dialog.confirm', { hasText: 'Delete flaky?' }).waitFor();
    await page.locator('dialog.confirm button.danger').click();
    await page.locator('tr[data-function="checkout"]').waitFor({ timeout: domTimeoutMs });
    assert.equal(await page.locator('tr[data-function="flaky"]').count(), 0);
    const { functions } = await api<{ functions: Array<{ name: string }> }>('/v1/functions');
    assert.deepEqual(functions.map((f) => f.name).sort(), ['checkout', 'order-worker']);
  });

  test('the page raised no script error nor CSP violation along the way, and the token never reached the host in an address', () => {
    assert.deepEqual(pageErrors, []);
    assert.ok(!host.stderr().includes(token));
  });
});
