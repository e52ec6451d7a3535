// The buffer-ownership rule of sdk/wit/README.md ("Who frees what") against the real host: the
// fx-free-args guest frees every non-empty argument and get-config result and leaves every
// zero-length one alone, checking each pointer it frees is a live heap block. A guest that also
// freed the zero-length ones (the rule as it once read) traps on the first empty query.
// Raw HTTP/1.0 requests, so the test decides every header the guest receives (fetch adds its own).
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { listen, type Listening } from '../../src/host/listen.js';
import { bundleWith } from '../support/bundles.js';
import { fixtureComponent } from '../support/paths.js';
import { startTestHost, type TestHost } from '../support/test-host.js';

const manifest = `name = "fx-free-args"
component = "component.wasm"

[[http]]
route = "/fx/free-args"
methods = ["GET", "POST"]

[config]
full = "blue"
empty = ""
`;

interface RawResponse {
  readonly status: number;
  readonly body: string;
}

/** Sends `head` (request line and header lines, without the blank line) and `body` exactly as given. */
function rawRequest(trigger: Listening, head: string, body = ''): Promise<RawResponse> {
  const { hostname, port } = new URL(trigger.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    // HTTP/1.0: the server closes the connection after a body it does not chunk.
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(text.slice(9, 12)), body: split < 0 ? '' : text.slice(split + 4) });
    });
    socket.write(`${head}\r\n\r\n${body}`);
  });
}

describe('argument ownership (who frees what)', () => {
  let host: TestHost;
  let trigger: Listening;

  before(async () => {
    host = await startTestHost();
    trigger = await listen(host.host.httpTrigger, '127.0.0.1', 0);
    const response = await host.deploy(bundleWith(manifest, fixtureComponent('free-args')));
    assert.equal(response.status, 201, await response.text());
  });

  after(async () => {
    await trigger.close();
    await host.close();
  });

  test('no query, no headers, no body: only method, path and a config value are freed', async () => {
    const response = await rawRequest(trigger, 'GET /fx/free-args HTTP/1.0');
    assert.equal(response.status, 200, response.body);
    // freed: method, path, config "full"; left alone: query, header list, body, config "empty".
    assert.equal(response.body, 'freed=3 empty=4 method=GET query=0 headers=0 body=0 config=blue,0\n');
  });

  test('a query, headers (one with an empty value) and a body: every non-empty buffer is freed', async () => {
    const head = 'POST /fx/free-args?a=1 HTTP/1.0\r\nX-Empty:\r\nX-Full: yes\r\nContent-Length: 3';
    const response = await rawRequest(trigger, head, 'abc');
    assert.equal(response.status, 200, response.body);
    // freed: 3 names + 2 values + the list, method, path, query, body, config "full";
    // left alone: x-empty's value, config "empty".
    assert.equal(response.body, 'freed=11 empty=2 method=POST query=3 headers=3 body=3 config=blue,0\n');
  });

  test('an empty query string ("?") and an empty POST body', async () => {
    const response = await rawRequest(trigger, 'POST /fx/free-args? HTTP/1.0\r\nContent-Length: 0');
    assert.equal(response.status, 200, response.body);
    assert.match(response.body, /^freed=\d+ empty=\d+ method=POST query=0 headers=1 body=0 /);
  });

  test('a direct invocation with no payload', async () => {
    const response = await host.admin('/v1/functions/fx-free-args/invoke', { method: 'POST' });
    assert.equal(response.status, 200, await response.text());
  });

  test('an ordinary client, over and over (each call a fresh instance)', async () => {
    for (const path of ['/fx/free-args', '/fx/free-args?name=ada', '/fx/free-args?']) {
      const response = await host.get(path);
      const text = await response.text();
      assert.equal(response.status, 200, `${path}: ${text}`);
    }
  });
});
