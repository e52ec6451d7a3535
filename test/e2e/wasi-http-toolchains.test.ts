// Standard wasi:http/proxy components from wasmlet's toolchains, checked without wasmlet's runtime:
// the recipes build them (StarlingMonkey for a JS `fetch` listener, componentize-py for a Python
// `IncomingHandler`), they export wasi:http/incoming-handler@0.2.x, the host's own glue generator
// (src/compile/sync-glue.ts) transpiles them, and they behave as their sources say on a reference
// server (test/fixtures/wasi-http/reference-server.mjs: preview2-shim's wasi:http, a fresh instance
// per request). Builds are real and slow (StarlingMonkey ~20-110 s each on 2 cores); the fixtures
// are cached across runs (test/support/wasi-http-fixtures.ts).
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { componentWit } from '@bytecodealliance/jco';
import { request } from 'undici';
import { nativeTestCommands, templateLanguages, type TemplateName } from '../../src/build/create-function.js';
import { generateSyncGlue } from '../../src/compile/sync-glue.js';
import { runCli } from '../support/cli-process.js';
import { repoRoot } from '../support/paths.js';
import { wasiHttpFixture, wasiHttpFixturesDir } from '../support/wasi-http-fixtures.js';

/** A StarlingMonkey build on a loaded 2-core machine; a hung one must still end. */
const buildTimeoutMs = 15 * 60_000;
const exportsIncomingHandler = /^\s*export wasi:http\/incoming-handler@0\.2\.\d+;$/m;

// componentize-py's core modules use extended-const, still behind a flag on Node 20 (the host sets it too).
setFlagsFromString('--experimental-wasm-extended-const');

interface Upstream {
  readonly url: string;
  /** x-fixture header of every request it received. */
  readonly seen: string[];
  readonly server: Server;
}

/** The test's outbound target: GET -> 200 `upstream says hi`; POST -> 201 with the body echoed. */
async function startUpstream(): Promise<Upstream> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(String(req.headers['x-fixture'] ?? ''));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST') res.writeHead(201, { 'content-type': 'text/x-upstream' }).end(Buffer.concat(chunks));
      else res.writeHead(200, { 'content-type': 'text/x-upstream' }).end('upstream says hi');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The component's printed WIT, after checking it exports the incoming handler. */
async function checkExportsIncomingHandler(componentPath: string): Promise<string> {
  const wit = await componentWit(await readFile(componentPath));
  assert.match(wit, exportsIncomingHandler, `${componentPath} does not export wasi:http/incoming-handler:\n${wit}`);
  assert.match(wit, /^\s*import wasi:http\/types@0\.2\.\d+;$/m);
  assert.doesNotMatch(wit, /wasmlet:function/, 'a standard wasi:http component imports nothing of wasmlet');
  return wit;
}

/** The host's glue for the component (sync instantiation), written to a folder, its core modules compiled. */
async function transpile(componentPath: string, name: string, dir: string): Promise<string> {
  const files = await generateSyncGlue(new Uint8Array(await readFile(componentPath)), name);
  assert.ok(files[`${name}.js`], `no ${name}.js among ${Object.keys(files).join(', ')}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), '{"type":"module"}');
  for (const [file, bytes] of Object.entries(files)) await writeFile(join(dir, file), bytes);
  for (const file of Object.keys(files).filter((f) => f.endsWith('.wasm'))) await WebAssembly.compile(await readFile(join(dir, file)));
  return dir;
}

interface ReferenceServer {
  readonly url: string;
  readonly child: ChildProcess;
  /** What the server and its guests wrote on stderr (guest errors included). */
  stderr(): string;
  stop(): Promise<void>;
}

async function referenceServe(glueDir: string, name: string): Promise<ReferenceServer> {
  const port = await freePort();
  const script = join(wasiHttpFixturesDir, 'reference-server.mjs');
  const child = spawn(process.execPath, ['--experimental-wasm-extended-const', script, glueDir, name, String(port)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const server: ReferenceServer = {
    url,
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
  // It listens from its IO worker: poll until a connection is accepted.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`reference server exited (${child.exitCode}):\n${stderr}`);
    const up = await request(`${url}/`, { method: 'HEAD' }).then(
      async (response) => (await response.body.dump(), true),
      () => false,
    );
    if (up) return server;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`reference server did not listen on ${url}:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function get(url: string, init: Parameters<typeof request>[1] = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const response = await request(url, init);
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

/** Without NODE_TEST_CONTEXT, which node:test sets here: a template's `node --test` inheriting it runs no file and exits 0. */
const { NODE_TEST_CONTEXT: _runner, ...childEnv } = process.env;

function run(file: string, args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: childEnv, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('wasi:http components from the toolchains', { timeout: 6 * buildTimeoutMs }, () => {
  let work: string;
  let upstream: Upstream;
  const servers: ReferenceServer[] = [];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'wasmlet-wasi-http-'));
    upstream = await startUpstream();
  });

  after(async () => {
    for (const server of servers) await server.stop();
    await new Promise((resolve) => upstream?.server.close(resolve));
    await rm(work, { recursive: true, force: true });
  });

  async function serve(componentPath: string, name: string): Promise<ReferenceServer> {
    const glue = await transpile(componentPath, name, join(work, `glue-${name}`));
    const server = await referenceServe(glue, name);
    servers.push(server);
    return server;
  }

  test('the generated WIT: wasi:http@0.2.10 and its deps, relabelled from jco 1.35, nothing left at 0.2.12', async () => {
    const dir = join(work, 'wit');
    const made = await run(process.execPath, [join(repoRoot, 'toolchains/js/wasi-http-wit.mjs'), dir], repoRoot);
    assert.equal(made.code, 0, made.stderr);
    assert.deepEqual((await readdir(join(dir, 'deps'))).sort(), ['wasi-cli', 'wasi-clocks', 'wasi-filesystem', 'wasi-io', 'wasi-random', 'wasi-sockets']);
    const proxy = await readFile(join(dir, 'proxy.wit'), 'utf8');
    assert.match(proxy, /^package wasi:http@0\.2\.10;$/m);
    assert.match(proxy, /^world proxy \{$/m);
    for (const pkg of await readdir(join(dir, 'deps'))) {
      const text = await readFile(join(dir, 'deps', pkg, 'package.wit'), 'utf8');
      assert.match(text, /^\/\/ Generated by toolchains\/js\/wasi-http-wit\.mjs/);
      assert.doesNotMatch(text, /@0\.2\.12/, pkg);
      assert.match(text, /^world imports \{$/m, `${pkg} has the imports world wasi:cli includes`);
    }
    const again = join(work, 'wit-again');
    assert.equal((await run(process.execPath, [join(repoRoot, 'toolchains/js/wasi-http-wit.mjs'), again], repoRoot)).code, 0);
    assert.equal(await readFile(join(again, 'deps/wasi-sockets/package.wit'), 'utf8'), await readFile(join(dir, 'deps/wasi-sockets/package.wit'), 'utf8'), 'deterministic');
  });

  test('fx-http-js (StarlingMonkey): exports incoming-handler, transpiles with the host glue, every route behaves', async () => {
    const fx = await wasiHttpFixture('fx-http-js');
    const wit = await checkExportsIncomingHandler(fx.componentPath);
    assert.match(wit, /^\s*import wasi:http\/outgoing-handler@0\.2\.\d+;$/m);
    const server = await serve(fx.componentPath, 'fx-http-js');
    const base = `${server.url}/fx/http-js`;

    assert.deepEqual(await get(`${base}/`).then((r) => [r.status, r.text]), [200, 'fx-http-js ok\n']);

    // Streamed: 4 chunks 250 ms apart arrive over >= 750 ms, the first long before the last.
    const started = Date.now();
    const streamed = await request(`${base}/stream?chunks=4&delay=250`);
    assert.equal(streamed.statusCode, 200);
    assert.equal(streamed.headers['x-chunks'], '4');
    const arrivals: number[] = [];
    let body = '';
    for await (const chunk of streamed.body) {
      arrivals.push(Date.now() - started);
      body += (chunk as Buffer).toString();
    }
    assert.equal(body, 'chunk 0\nchunk 1\nchunk 2\nchunk 3\n');
    assert.ok(arrivals.at(-1)! - arrivals[0]! >= 600, `chunks arrived at ${arrivals.join(', ')} ms: not streamed`);

    const echoed = await get(`${base}/echo`, { method: 'POST', body: 'hello body', headers: { 'content-type': 'text/x-test' } });
    assert.deepEqual([echoed.status, echoed.text, echoed.headers['content-type'], echoed.headers['x-body-bytes']], [200, 'hello body', 'text/x-test', '10']);

    const big = Buffer.alloc(300_000, 'abc');
    let fnv = 0x811c9dc5;
    for (const byte of big) fnv = Math.imul(fnv ^ byte, 0x01000193) >>> 0;
    const counted = JSON.parse((await get(`${base}/count`, { method: 'POST', body: big })).text) as { bytes: number; chunks: number; fnv1a: string };
    assert.equal(counted.bytes, big.length);
    assert.equal(counted.fnv1a, fnv.toString(16).padStart(8, '0'));

    const headers = await get(`${base}/headers`, { headers: { 'x-echo-colour': 'blue', 'x-other': 'z' } });
    assert.equal(headers.headers['x-echo-colour'], 'blue');
    assert.equal(headers.headers['x-fixture'], 'fx-http-js');
    assert.equal(headers.headers['x-other'], undefined);
    const listed = JSON.parse(headers.text) as { method: string; headers: [string, string][] };
    assert.equal(listed.method, 'GET');
    assert.deepEqual(listed.headers.find(([name]) => name === 'x-other'), ['x-other', 'z']);

    const fetched = await get(`${base}/fetch?url=${encodeURIComponent(`${upstream.url}/hello`)}`);
    assert.deepEqual([fetched.status, fetched.text, fetched.headers['content-type'], fetched.headers['x-upstream-status']], [200, 'upstream says hi', 'text/x-upstream', '200']);
    assert.equal(upstream.seen.at(-1), 'fx-http-js', 'the guest set its header on the outbound request');
    const posted = await get(`${base}/fetch?method=POST&url=${encodeURIComponent(upstream.url)}`, { method: 'POST', body: 'forwarded' });
    assert.deepEqual([posted.status, posted.text], [201, 'forwarded']);
    const refused = await get(`${base}/fetch?url=${encodeURIComponent(`http://127.0.0.1:${await freePort()}/`)}`);
    assert.equal(refused.status, 502);
    assert.match(refused.text, /^fetch failed: /);

    // StarlingMonkey answers for a listener that fails or never responds: the guest still sets a 500.
    for (const route of ['/throw', '/reject', '/no-response', '/never-resolves']) {
      assert.equal((await get(`${base}${route}`)).status, 500, route);
    }
    assert.match(server.stderr(), /fx-http-js throws on purpose/);
    assert.equal((await get(`${base}/`)).status, 200, 'still serving');
  });

  test('fx-http-py (componentize-py): exports incoming-handler, transpiles with the host glue, echo and one outbound request', async () => {
    const fx = await wasiHttpFixture('fx-http-py');
    await checkExportsIncomingHandler(fx.componentPath);
    const server = await serve(fx.componentPath, 'fx-http-py');
    const base = `${server.url}/fx/http-py`;

    const echoed = await get(`${base}/echo?x=1`, { method: 'POST', body: 'hello python' });
    assert.deepEqual([echoed.status, echoed.text, echoed.headers['x-fixture']], [200, 'POST /fx/http-py/echo?x=1\nhello python', 'fx-http-py']);
    const fetched = await get(`${base}/fetch?url=${encodeURIComponent(`${upstream.url}/py`)}`);
    assert.deepEqual([fetched.status, fetched.text, fetched.headers['x-upstream-status']], [200, 'upstream says hi', '200']);
    assert.equal(upstream.seen.at(-1), 'fx-http-py');
    const refused = await get(`${base}/fetch?url=${encodeURIComponent(`http://127.0.0.1:${await freePort()}/`)}`);
    assert.equal(refused.status, 502);
    assert.match(refused.text, /^fetch failed: .*ConnectionRefused/);
  });

  // `wasmlet new js-http|python-http`, the template's own unit test, then the real `wasmlet build`.
  for (const [template, greets] of [['js-http', 'JavaScript'], ['python-http', 'Python']] as const satisfies readonly (readonly [TemplateName, string])[]) {
    test(`template ${template}: new, unit test, wasmlet build (deployable, exports incoming-handler), served`, async () => {
      const name = `t-${template}`;
      const newed = await runCli(['new', template, join(work, name), '--json']);
      assert.equal(newed.code, 0, `wasmlet new ${template} failed:\n${newed.stdout}${newed.stderr}`);
      const created = JSON.parse(newed.stdout) as { dir: string; template: string };
      assert.equal(created.template, template);
      const [program, ...args] = nativeTestCommands[templateLanguages[template]];
      const unit = await run(program!, args, created.dir);
      assert.equal(unit.code, 0, `${program} ${args.join(' ')} failed:\n${unit.stdout}\n${unit.stderr}`);

      const built = await runCli(['build', created.dir, '--json'], {}, buildTimeoutMs);
      assert.equal(built.code, 0, `wasmlet build failed:\n${built.stderr}`);
      const summary = JSON.parse(built.stdout) as { exports: string[]; imports: { name: string; provided: boolean }[]; problems: unknown[]; deployable: boolean };
      assert.ok(summary.exports.some((e) => /^wasi:http\/incoming-handler@0\.2\.\d+$/.test(e)), summary.exports.join(', '));
      assert.deepEqual(summary.problems, [], 'deploy would accept it');
      assert.ok(summary.imports.some((i) => i.name.startsWith('wasi:http/types@')));

      const server = await serve(join(created.dir, `${name}.wasm`), name);
      const hello = await get(`${server.url}/${name}?name=ada`);
      assert.deepEqual([hello.status, hello.text], [200, `Hello, ada, from ${greets}!\n`]);
      const echoed = await get(`${server.url}/${name}`, { method: 'POST', body: 'echo me', headers: { 'content-type': 'text/x-echo' } });
      assert.deepEqual([echoed.status, echoed.text, echoed.headers['content-type']], [200, 'echo me', 'text/x-echo']);
    });
  }

  test('examples/http-proxy-js: the recipe builds it; GET text, POST echo, /fetch relays an upstream', async () => {
    const out = join(work, 'http-proxy-js.wasm');
    const built = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile('bash', [join(repoRoot, 'toolchains/js/build.sh'), join(repoRoot, 'examples/http-proxy-js'), out], { timeout: buildTimeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) =>
        resolve({ code: err ? 1 : 0, stderr }),
      );
    });
    assert.equal(built.code, 0, built.stderr);
    await checkExportsIncomingHandler(out);
    const server = await serve(out, 'http-proxy-js');
    const hello = await get(`${server.url}/http-proxy-js/`);
    assert.deepEqual([hello.status, hello.text], [200, 'Hello from a wasi:http component (JavaScript, StarlingMonkey)!\n']);
    const echoed = await get(`${server.url}/http-proxy-js`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    assert.deepEqual([echoed.status, echoed.text, echoed.headers['content-type']], [200, '{"a":1}', 'application/json']);
    const relayed = await get(`${server.url}/http-proxy-js/fetch?url=${encodeURIComponent(`${upstream.url}/x`)}`);
    assert.deepEqual([relayed.status, relayed.text, relayed.headers['content-type']], [200, 'upstream says hi', 'text/x-upstream']);
    assert.equal((await get(`${server.url}/http-proxy-js/fetch`)).status, 400);
    assert.equal((await get(`${server.url}/http-proxy-js/nope`)).status, 404);
  });
});
