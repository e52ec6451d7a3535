// fx-http-probe (test/fixtures/http-probe), the C wasi:http/proxy guest that walks the incoming side
// of wasi:http/types, deployed from its own folder and called over real HTTP: what each route answers.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { packFunction } from '../../src/bundle/pack-function.js';
import { fixturesDir } from '../support/paths.js';
import { errorCodeOf, startTestHost, type TestHost } from '../support/test-host.js';

describe('fx-http-probe', () => {
  let host: TestHost;

  before(async () => {
    host = await startTestHost();
    const response = await host.deploy(await packFunction(join(fixturesDir, 'http-probe')));
    assert.equal(response.status, 201, await response.text());
  });

  after(() => host.close());

  test('op=echo: method, path, scheme, authority, every request header and the body come back', async () => {
    const body = 'a body of 23 bytes, 7x4';
    const response = await host.get('/fx/http-probe?op=echo&x=1', { method: 'POST', body, headers: { 'x-one': '1', 'x-empty': '' } });
    assert.equal(response.status, 200);
    const headers = response.headers;
    assert.equal(headers.get('x-method'), 'POST');
    assert.equal(headers.get('x-path'), '/fx/http-probe?op=echo&x=1');
    assert.equal(headers.get('x-scheme'), 'HTTP');
    assert.equal(headers.get('x-authority'), new URL(response.url).host);
    assert.equal(headers.get('x-echo-x-one'), '1');
    assert.equal(headers.get('x-echo-x-empty'), '');
    assert.equal(headers.get('x-echo-content-length'), String(body.length));
    assert.equal(headers.get('x-body-reads'), '4', 'blocking-read of 7 bytes: 7 + 7 + 7 + 2');
    assert.equal(await response.text(), body);
  });

  test('op=fields: every fields operation, the illegal ones refused with their header-error case', async () => {
    const response = await host.get('/fx/http-probe?op=fields');
    assert.equal(response.status, 200);
    const lines = (await response.text()).split('\n');
    for (const line of [
      'has x-a=1',
      'get x-a=2 values: 1,2',
      'get x-a=3 values: 1,2,3',
      'has x-gone=0',
      'get x-empty=1 values: ',
      'has x-none=0',
      'set forbidden -> forbidden',
      'delete forbidden -> forbidden',
      'append invalid name -> invalid-syntax',
      'set invalid value -> invalid-syntax',
      'append invalid value -> invalid-syntax',
      'get x-list=2 values: one,two',
      'has x-clone-only=0 original, 1 clone',
      'entries clone: x-list=one, x-list=two, x-other=three, x-clone-only=yes',
      'from-list forbidden -> forbidden',
      'from-list invalid name -> invalid-syntax',
      'from-list invalid value -> invalid-syntax',
      'request headers append -> immutable',
      'request headers set -> immutable',
      'request headers delete -> immutable',
      // An outgoing response's headers() are immutable (wasi:http's WIT; wasmtime too).
      'response headers append x-late -> immutable',
    ]) {
      assert.ok(lines.includes(line), `missing "${line}" in:\n${lines.join('\n')}`);
    }
    // The fields it built are the response's headers.
    assert.equal(response.headers.get('x-a'), '1, 2, 3');
    assert.equal(response.headers.get('x-empty'), '');
    assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(response.headers.get('x-late'), null);
  });

  test('op=status: set-status-code sets the status, status-code reads it back; an invalid one is refused', async () => {
    const teapot = await host.get('/fx/http-probe?op=status&code=418');
    assert.equal(teapot.status, 418);
    assert.equal(teapot.headers.get('x-status'), '418');
    assert.equal(await teapot.text(), 'set-status-code 418 -> ok\nstatus-code 418\n');
    const invalid = await host.get('/fx/http-probe?op=status&code=99');
    assert.equal(invalid.status, 200);
    assert.equal(await invalid.text(), 'set-status-code 99 -> error\nstatus-code 200\n');
  });

  test('an error-code, a body dropped unfinished and no response at all are guest failures, not answers', async () => {
    const timeout = await host.get('/fx/http-probe?op=error&code=timeout');
    assert.equal(timeout.status, 500);
    const problem = (await timeout.json()) as { code: string; detail: string };
    assert.equal(problem.code, 'guest_error');
    assert.match(problem.detail, /error-code HTTP-response-timeout/);
    const unfinished = await host.get('/fx/http-probe?op=unfinished');
    assert.equal(unfinished.status, 502);
    assert.equal(await errorCodeOf(unfinished), 'response_invalid');
    const none = await host.get('/fx/http-probe?op=none');
    assert.equal(none.status, 502);
    assert.match(((await none.json()) as { detail: string }).detail, /response-outparam\.set was never called/);
  });

  test('op=log: stdout and stderr reach the function log with the request id', async () => {
    const response = await host.get('/fx/http-probe?op=log');
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'logged');
    const requestId = response.headers.get('x-wasmlet-request-id');
    const { logs } = (await (await host.admin('/v1/functions/fx-http-probe/logs')).json()) as {
      logs: { requestId: string; stream: string; message: string }[];
    };
    const mine = logs.filter((line) => line.requestId === requestId).map((line) => `${line.stream} ${line.message}`);
    assert.ok(mine.includes('stdout fx-http-probe: to stdout'), mine.join('\n'));
    assert.ok(mine.includes('stderr fx-http-probe: to stderr'), mine.join('\n'));
  });

  // The last three routes reach the host's WASI through wasi-libc and the preview1 adapter.
  test('op=sleep: nanosleep (poll_oneoff: monotonic-clock.subscribe-duration, poll) waits at least the time asked', async () => {
    const response = await host.get('/fx/http-probe?op=sleep&ms=30');
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'slept ms=30 elapsed_ge_ms=1'); // never an upper bound: the machine may be busy
  });

  test('op=time: clock_gettime and clock_getres on the wall clock and the monotonic clock', async () => {
    // The guest read the wall clock between these two reads of the host's (whole seconds): no bound on how long it took.
    const before = Math.floor(Date.now() / 1000);
    const response = await host.get('/fx/http-probe?op=time');
    assert.equal(response.status, 200);
    const text = await response.text();
    const after = Math.floor(Date.now() / 1000);
    const values = Object.fromEntries(text.split(' ').map((pair) => pair.split('=') as [string, string]));
    const wall = Number(values.wall);
    assert.ok(wall >= before && wall <= after, `wall clock ${wall} not between the host's ${before} and ${after}: ${text}`);
    for (const flag of ['wall_ns_ok', 'mono_increasing', 'res_ok', 'wall_res_ok']) assert.equal(values[flag], '1', `${flag} in: ${text}`);
  });

  test('op=random: getentropy (random_get: wasi:random/random.get-random-bytes) gives new bytes every call', async () => {
    const draw = async () => {
      const response = await host.get('/fx/http-probe?op=random&n=64');
      assert.equal(response.status, 200);
      const text = await response.text();
      const match = /^random n=64 hex=([0-9a-f]{32}) distinct=(\d+)$/.exec(text);
      assert.ok(match, text);
      assert.ok(Number(match[2]) > 20, `few distinct bytes in 64 random ones: ${text}`);
      return match[1];
    };
    const first = await draw();
    const second = await draw();
    assert.notEqual(first, second);
  });
});
