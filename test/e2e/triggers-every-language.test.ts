// Every guest SDK's queue, schedule and publisher support, through the real toolchains and a real
// host: each language's probe (test/guests/<lang>-probe, the same behaviour in six languages) is
// built with `wasmlet build`, deployed with a [[queue]] and a [[schedule]] trigger, and put through
// the same script. The probes report what they handled to the queue "probe-out". Each also GETs
// `?outbound=<url>` through the SDK's outbound HTTP (its manifest grants http://127.0.0.1:*): a
// loopback upstream here, and an origin the grant leaves out.
import assert from 'node:assert/strict';
import { appendFile, cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import { runCli, startServe, type ServingHost } from '../support/cli-process.js';
import { repoRoot } from '../support/paths.js';
import { waitFor } from '../support/queue-helpers.js';

const languages = ['c', 'rust', 'go', 'python', 'js', 'dotnet'] as const;
/** A cold Go or .NET build on 2 busy cores. */
const buildTimeoutMs = 300_000;
/** Outside the probes' grant (http://127.0.0.1:*): refused before any DNS lookup. */
const deniedUrl = 'http://denied.example/';

interface Peeked {
  id: string;
  text: string;
  lastError: string | null;
}

describe('queue, schedule, publisher and outbound HTTP in every language', () => {
  let scratch: string;
  let host: ServingHost;
  /** The outbound target: answers every request with what it saw, and records its x-probe header. */
  let upstream: Server;
  let upstreamUrl: string;
  const probeHeaders: string[] = [];

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'wasmlet-probes-'));
    // The probes find their SDK at ../../../sdk, as in the repository.
    await symlink(join(repoRoot, 'sdk'), join(scratch, 'sdk'));
    await mkdir(join(scratch, 'test', 'guests'), { recursive: true });
    upstream = createServer((req, res) => {
      probeHeaders.push(String(req.headers['x-probe']));
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`upstream saw ${req.method} ${req.url}`);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    host = await startServe(['--data-dir', join(scratch, 'data'), '--workers', '2']);
  });

  after(async () => {
    await host?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
    await rm(scratch, { recursive: true, force: true });
  });

  const admin = async (path: string, init: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> } = {}) => {
    const response = await request(`${host.urls.admin}${path}`, { ...init, headers: { ...init.headers, authorization: await host.authorization() } });
    return { status: response.statusCode, body: await response.body.text() };
  };
  const peek = async (queue: string): Promise<Peeked[]> => (JSON.parse((await admin(`/v1/queues/${queue}/messages?limit=1000`)).body) as { messages: Peeked[] }).messages;

  for (const lang of languages) {
    test(lang, { timeout: buildTimeoutMs + 120_000 }, async () => {
      const source = join(scratch, 'test', 'guests', `${lang}-probe`);
      await cp(join(repoRoot, 'test', 'guests', `${lang}-probe`), source, {
        recursive: true,
        filter: (path) => !/\/(target|node_modules|bin|obj)(\/|$)/.test(path) && !path.endsWith('.wasm') && !path.endsWith('.zip'),
      });
      const queue = `probe-${lang}`;
      await appendFile(join(source, 'wasmlet.toml'), `
[[queue]]
queue = "${queue}"
batch_size = 10
max_batch_wait_ms = 100
max_attempts = 2
backoff = { initial_ms = 10, max_ms = 10 }

[[schedule]]
name = "tick-${lang}"
rate = "1s"
`);
      const bundle = join(scratch, `${lang}.zip`);
      const built = await runCli(['build', source, '--out', bundle], {}, buildTimeoutMs);
      assert.equal(built.code, 0, `build:\n${built.stdout}\n${built.stderr}`);
      const deployed = await runCli(['deploy', bundle, '--admin-url', host.urls.admin, '--data-dir', join(scratch, 'data')]);
      assert.equal(deployed.code, 0, `deploy: ${deployed.stderr}`);

      // HTTP and the publisher.
      const plain = await request(`${host.urls.http}/probe/${lang}`);
      assert.equal(await plain.body.text(), `probe ${lang}`);
      const sent = await request(`${host.urls.http}/probe/${lang}?send=probe-out`, { method: 'POST', body: `hello from ${lang}` });
      const sentId = await sent.body.text();
      assert.equal(sent.statusCode, 202, sentId);
      const refused = await request(`${host.urls.http}/probe/${lang}?send=not-listed`, { method: 'POST', body: 'x' });
      assert.equal(refused.statusCode, 400, await refused.body.text());
      assert.ok((await peek('probe-out')).some((m) => m.id === sentId && m.text === `hello from ${lang}`), 'the published message is in probe-out');

      // Outbound HTTP: a granted loopback upstream, then an origin outside the grant.
      const outbound = async (url: string) => {
        const response = await request(`${host.urls.http}/probe/${lang}?outbound=${encodeURIComponent(url)}`);
        return { status: response.statusCode, body: await response.body.text() };
      };
      const relayed = await outbound(`${upstreamUrl}/from/${lang}?x=1`);
      assert.deepEqual(relayed, { status: 200, body: `status=200 body=upstream saw GET /from/${lang}?x=1` });
      assert.equal(probeHeaders.at(-1), lang, 'the probe sent its x-probe header');
      const denied = await outbound(deniedUrl);
      assert.equal(denied.status, 502, denied.body);
      assert.match(denied.body, /^error=denied\b/);

      // The queue handler's per-message results, a batch error and a trap.
      const bodies = ['hello', 'fail:nope', 'retry-until:2', 'batch-error', 'trap'];
      const posted = await admin(`/v1/queues/${queue}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.wasmlet.batch+json' },
        body: JSON.stringify({ messages: bodies.map((body) => ({ body })) }),
      });
      assert.equal(posted.status, 202, posted.body);
      const [helloId, failId, untilId, batchErrorId, trapId] = (JSON.parse(posted.body) as { ids: string[] }).ids;
      const dead = await waitFor('three dead letters', async () => {
        const messages = await peek(`${queue}-dlq`);
        return messages.length >= 3 ? messages : undefined;
      }, 30_000);
      assert.deepEqual(dead.map((m) => m.id).sort(), [failId, batchErrorId, trapId].sort());
      assert.equal(dead.find((m) => m.id === failId)!.lastError, 'nope');
      assert.match(dead.find((m) => m.id === batchErrorId)!.lastError!, /batch-error requested/);
      const reports = await waitFor('two reports', async () => {
        const mine = (await peek('probe-out')).map((m) => m.text.split(' ')).filter((words) => words[0] === queue);
        return mine.length >= 2 ? mine : undefined;
      }, 30_000);
      assert.deepEqual(reports.map((w) => [w[1], w[2], w.slice(3).join(' ')]).sort(), [[helloId, '1', 'hello'], [untilId, '2', 'retry-until:2']].sort());

      // The schedule handler.
      const tick = await waitFor('a tick', async () => (await peek('probe-out')).find((m) => m.text.startsWith(`schedule tick-${lang} `)), 30_000);
      const scheduledAt = Number(tick.text.split(' ')[2]);
      assert.ok(scheduledAt % 1000 === 0 && Math.abs(Date.now() - scheduledAt) < 60_000, tick.text);

      // Stop its schedule before the next language (its ticks would keep coming).
      assert.equal((await runCli(['delete', `probe-${lang}`, '--admin-url', host.urls.admin, '--data-dir', join(scratch, 'data')])).code, 0);
    });
  }
});
