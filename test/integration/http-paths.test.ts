// Issue 12, "Paths are ambiguous": a front proxy guards /internal/*; every spelling of a path sent
// raw to a real host either reaches the function the proxy's RFC 3986 reading names, with that very
// path given to the guest, or is refused with 400 problem+json. Raw TCP: fetch would normalise first.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listen, type Listening } from '../../src/host/listen.js';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { fixtureComponent } from '../support/paths.js';
import { rawRequest } from '../support/raw-http.js';
import { startTestHost, type TestHost } from '../support/test-host.js';

/** The path the proxy (and so the guest) sees, or 400: refused as ambiguous. */
type Expected = string | 400;

/** The 26 spellings of the finding (src/triggers/http/request-target.test.ts tests the same by rule). */
const spellings: readonly (readonly [target: string, expected: Expected])[] = [
  ['/public/secret', '/public/secret'],
  ['/internal/secret', '/internal/secret'],
  ['//evil.example/internal/secret', 400],
  ['/public/../internal/secret', '/internal/secret'],
  ['/public/%2e%2e/internal/secret', 400],
  ['/public/%2E%2E/internal/secret', 400],
  ['/public/.%2e/internal/secret', 400],
  ['/public/%2e./internal/secret', 400],
  ['/internal/%2e/secret', 400],
  ['/public\\..\\internal\\secret', 400],
  ['/public/..\\internal/secret', 400],
  ['http://evil.example/internal/secret', 400],
  ['http://127.0.0.1/public/secret', 400],
  ['/public/..%2finternal/secret', 400],
  ['/public%2F..%2Finternal%2Fsecret', 400],
  ['/public/%5c..%5cinternal/secret', 400],
  ['/%69nternal/secret', '/internal/secret'],
  ['/public/./secret', '/public/secret'],
  ['/public//secret', '/public//secret'],
  ['/public/secret/..', '/public/'],
  ['/public/%00/secret', 400],
  ['/public/secret#/../../internal/secret', 400],
  ['/public/..;/internal/secret', 400],
  ['/public/%252e%252e/internal/secret', '/public/%252e%252e/internal/secret'],
  ['/public/secret?next=/../internal', '/public/secret'],
  ['/..//internal/secret', 400],
];

/** Refused by Node's parser before the trigger sees them: answered by the trigger's clientError, still problem+json. */
const refusedByParser: readonly string[] = ['/public/a\u0000b', '/public/a\u0001b', '/public/caf\u00e9', '/public/a\u007fb'];

describe('one meaning per path (raw requests to a real host)', () => {
  let host: TestHost;
  let trigger: Listening;

  before(async () => {
    host = await startTestHost();
    for (const [name, route] of [['fx-public', '/public/*'], ['fx-internal', '/internal/*']] as const) {
      const response = await host.deploy(bundleWith(manifestFor(name, route), fixtureComponent('echo')));
      assert.equal(response.status, 201, await response.text());
    }
    trigger = await listen(host.host.httpTrigger, '127.0.0.1', 0);
  });

  after(async () => {
    await trigger.close();
    await host.close();
  });

  test('each of the 26 spellings: the route and guest path a front proxy sees, or 400 path_ambiguous', async () => {
    assert.equal(spellings.length, 26);
    const wrong: string[] = [];
    for (const [target, expected] of spellings) {
      const response = await rawRequest(trigger.url, `GET ${target} HTTP/1.1`);
      const got = response.status === 200 ? (JSON.parse(response.body) as { path: string }).path : response.status;
      if (got !== expected) wrong.push(`${target}: expected ${expected}, got ${got} ${response.status === 200 ? '' : response.body}`);
      else if (expected === 400) {
        assert.equal(response.headers['content-type'], 'application/problem+json');
        assert.equal((JSON.parse(response.body) as { code: string }).code, 'path_ambiguous', target);
      }
    }
    assert.deepEqual(wrong, []);
  });

  test('the query reaches the guest as sent', async () => {
    const response = await rawRequest(trigger.url, 'GET /public/./a?x=%2e%2e/y&z=a\\b HTTP/1.1');
    assert.deepEqual(JSON.parse(response.body), { method: 'GET', path: '/public/a', query: 'x=%2e%2e/y&z=a\\b', body: '', headers: 2 });
  });

  test("a target Node's parser refuses is a 400 problem+json too, and the connection closes", async () => {
    for (const target of refusedByParser) {
      const response = await rawRequest(trigger.url, `GET ${target} HTTP/1.1`);
      assert.equal(response.status, 400, target);
      assert.equal(response.headers['content-type'], 'application/problem+json', target);
      assert.equal(response.headers.connection, 'close', target);
      assert.equal((JSON.parse(response.body) as { code: string }).code, 'path_ambiguous', target);
    }
  });

  test('OPTIONS * and a CONNECT target are refused', async () => {
    assert.equal((await rawRequest(trigger.url, 'OPTIONS * HTTP/1.1')).status, 400);
    const connect = await rawRequest(trigger.url, 'GET evil.example:443 HTTP/1.1');
    assert.equal(connect.status, 400);
  });
});
