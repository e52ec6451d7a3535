// A web page must not be able to drive the admin API of a host started without --token (the quick
// start's). Real `wasmlet serve`, real headless Chromium (Debian's, through playwright-core):
// - a page on another origin (a node:http server on another loopback port) sends what a browser sends
//   cross-site without a preflight: form POSTs (text/plain) and no-cors fetches (a zip as a Blob) to
//   deploy, invoke (sync and async) and send to a queue;
// - a page the browser believes is http://evil.example:<admin port>/ (DNS rebinding: Chromium resolves
//   evil.example to 127.0.0.1) is same-origin with the API, so it may read answers and set any header.
// Outcomes are counted afterwards through the CLI (which picks up the host's generated token).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import type { AsyncInvokeBody, InvocationBody, ListBody, LogsBody, PeekBody } from '../../src/client/api-types.js';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { runCli, startServe, type ServingHost } from '../support/cli-process.js';
import { fixtureComponent } from '../support/paths.js';
import { waitFor } from '../support/queue-helpers.js';
import { launchChromium, type HeadlessChromium } from '../support/chromium.js';

const attackerArgs = [
  // The rebinding attacker's name, pointed at loopback as its DNS would after the rebind.
  '--host-resolver-rules=MAP evil.example 127.0.0.1',
  // HttpsUpgrades: keep http://evil.example an http navigation (the route below answers it).
  // LocalNetworkAccessChecks: Chromium itself blocks a page it took for public from reaching loopback;
  // Firefox and Safari do not, and the host must hold without that help.
  '--disable-features=HttpsUpgrades,LocalNetworkAccessChecks',
];

const attackQueue = 'attack-jobs';
const victim = 'fx-logger';

/** The cross-site page: every request a browser sends without a preflight; resolves once each has completed. */
function crossSitePage(admin: string): string {
  return `<!doctype html><title>cute cats</title><body>
<iframe name="sink1"></iframe><iframe name="sink2"></iframe><iframe name="sink3"></iframe>
<form id="send" method="POST" enctype="text/plain" target="sink1" action="${admin}/v1/queues/${attackQueue}/messages"><input name="from" value="a form"></form>
<form id="invoke" method="POST" enctype="text/plain" target="sink2" action="${admin}/v1/functions/${victim}/invoke"><input name="{&quot;a&quot;:1}" value=""></form>
<form id="async" method="POST" enctype="application/x-www-form-urlencoded" target="sink3" action="${admin}/v1/functions/${victim}/invoke?mode=async"><input name="a" value="1"></form>
<script>
function submitted(form, frame) {
  return new Promise((done) => { document.querySelector('iframe[name=' + frame + ']').addEventListener('load', () => done(form), { once: true }); document.getElementById(form).submit(); });
}
function noCors(path, body) {
  return fetch('${admin}' + path, { method: 'POST', mode: 'no-cors', body }).then((r) => r.type, (e) => 'error ' + e.message);
}
window.attack = async () => {
  const zip = await (await fetch('/bundle.zip')).arrayBuffer();
  const results = [];
  results.push(await noCors('/v1/functions', new Blob([zip])));
  results.push(await noCors('/v1/queues/${attackQueue}/messages', 'from a no-cors fetch'));
  results.push(await noCors('/v1/functions/${victim}/invoke', '{}'));
  results.push(await noCors('/v1/functions/${victim}/invoke?mode=async', '{}'));
  results.push(navigator.sendBeacon('${admin}/v1/queues/${attackQueue}/messages', 'from a beacon'));
  for (const [form, frame] of [['send', 'sink1'], ['invoke', 'sink2'], ['async', 'sink3']]) results.push(await submitted(form, frame));
  return results;
};
</script></body>`;
}

/** The rebinding page, same-origin with the API: it reads answers and sends what it likes. */
function rebindingPage(bundle: Uint8Array): string {
  return `<!doctype html><title>rebound</title><script>
window.attack = async () => {
  const zip = Uint8Array.from(atob('${Buffer.from(bundle).toString('base64')}'), (c) => c.charCodeAt(0));
  const statuses = {};
  const call = async (name, path, init) => {
    try { statuses[name] = (await fetch(path, init)).status; } catch (e) { statuses[name] = 'error ' + e.message; }
  };
  await call('list', '/v1/functions');
  await call('deploy', '/v1/functions', { method: 'POST', body: zip, headers: { 'content-type': 'application/zip', 'x-requested-with': 'wasmlet' } });
  await call('send', '/v1/queues/${attackQueue}/messages', { method: 'POST', body: '{"from":"rebinding"}', headers: { 'content-type': 'application/json', 'x-requested-with': 'wasmlet' } });
  await call('invoke', '/v1/functions/${victim}/invoke', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-requested-with': 'wasmlet' } });
  return statuses;
};
</script>`;
}

describe('the admin API of a host started without --token, attacked from a browser', () => {
  let dataDir: string;
  let host: ServingHost;
  let attacker: Server;
  let attackerPort: number;
  let evilBundle: Uint8Array;
  let chromium: HeadlessChromium;
  let browser: HeadlessChromium['context'];
  /** The CLI on this machine, pointed at the host's data dir (where the generated token is). */
  const cli = (...args: string[]) => runCli([...args, '--admin-url', host.urls.admin], { WASMLET_DATA_DIR: dataDir });

  /** What an attack could have changed: deployed functions, the attacker's route, its queue, invocations of the victim. */
  async function outcomes(): Promise<{ functions: string[]; evilRoute: number; queued: number; invocations: number }> {
    const list = await cli('list', '--json');
    assert.equal(list.code, 0, list.stderr);
    const peeked = await cli('queue', 'peek', attackQueue, '--json');
    assert.equal(peeked.code, 0, peeked.stderr);
    const logs = await cli('logs', victim, '--json', '--limit', '1000');
    assert.equal(logs.code, 0, logs.stderr);
    return {
      functions: (JSON.parse(list.stdout) as ListBody).functions.map((f) => f.name),
      evilRoute: (await request(`${host.urls.http}/evil`)).statusCode,
      queued: (JSON.parse(peeked.stdout) as PeekBody).messages.length,
      invocations: new Set((JSON.parse(logs.stdout) as LogsBody).logs.map((line) => line.requestId)).size,
    };
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-browser-'));
    host = await startServe(['--data-dir', dataDir, '--workers', '2']);
    const victimZip = join(dataDir, '..', `${victim}-${process.pid}.zip`);
    await writeFile(victimZip, bundleWith(manifestFor(victim, '/fx/logger'), fixtureComponent('logger')));
    const deployed = await cli('deploy', victimZip);
    await rm(victimZip, { force: true });
    assert.equal(deployed.code, 0, deployed.stderr);

    evilBundle = bundleWith(manifestFor('evil', '/evil'), fixtureComponent('echo'));
    attacker = createServer((req, res) => {
      if (req.url === '/bundle.zip') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(evilBundle);
      } else res.writeHead(200, { 'content-type': 'text/html' }).end(crossSitePage(host.urls.admin));
    });
    await new Promise<void>((done) => attacker.listen(0, '127.0.0.1', done));
    attackerPort = (attacker.address() as AddressInfo).port;
    chromium = await launchChromium(attackerArgs);
    browser = chromium.context;
  });

  after(async () => {
    await chromium?.close();
    await new Promise<void>((done) => (attacker ? attacker.close(() => done()) : done()));
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('simple cross-site requests (forms, no-cors fetches, a beacon) deploy, invoke and queue nothing', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${attackerPort}/`);
    const results = await page.evaluate(() => (window as unknown as { attack(): Promise<unknown[]> }).attack());
    assert.equal(results.length, 8, JSON.stringify(results)); // every attempt was made and completed
    await page.close();

    // A legitimate async invocation after the attacker's: once it ran, any async event queued before it ran too.
    const queued = await cli('invoke', victim, '--async', '--data', '{}', '--json');
    assert.equal(queued.code, 0, queued.stderr);
    const { invocationId } = JSON.parse(queued.stdout) as AsyncInvokeBody;
    await waitFor('the legitimate async invocation', async () => {
      const shown = await cli('invocation', invocationId, '--json');
      return (JSON.parse(shown.stdout) as InvocationBody).invocation.state === 'succeeded' ? true : undefined;
    });

    assert.deepEqual(await outcomes(), { functions: [victim], evilRoute: 404, queued: 0, invocations: 1 });
  });

  test('a DNS-rebinding page (Host: evil.example) reads nothing and changes nothing', async () => {
    const adminPort = new URL(host.urls.admin).port;
    const origin = `http://evil.example:${adminPort}`;
    const page = await browser.newPage();
    // The first resolution of evil.example served the attacker's page; every later request reaches the host.
    await page.route(`${origin}/rebind.html`, (route) => route.fulfill({ contentType: 'text/html', body: rebindingPage(evilBundle) }));
    await page.goto(`${origin}/rebind.html`);
    const statuses = await page.evaluate(() => (window as unknown as { attack(): Promise<Record<string, number | string>> }).attack());
    await page.close();
    // The names of the checks' errors (421 misdirected_request, 403 forbidden) are fixed in the unit tests.
    assert.deepEqual({ statuses, ...(await outcomes()) }, {
      statuses: { list: 421, deploy: 421, send: 421, invoke: 421 },
      functions: [victim], evilRoute: 404, queued: 0, invocations: 1,
    });
  });
});
