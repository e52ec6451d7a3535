// Issue 12, "Slow clients are held too long": against a real host with short limits, every slow or
// greedy client is answered and its connection closed by the server. Outcomes are counted (status
// lines read, sockets closed); the only clock is a hang guard far above every configured limit.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { request as undiciRequest } from 'undici';
import { listen, type Listening } from '../../src/host/listen.js';
import type { ServerLimits } from '../../src/host/server-limits.js';
import { startHost } from '../../src/host/start-host.js';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { fixtureComponent } from '../support/paths.js';
import { connectRaw, parseResponses, type RawConnection, type RawEnd } from '../support/raw-http.js';
import { startTestHost, type TestHost } from '../support/test-host.js';

const maxBodyBytes = 1024;
/** Limits no test reaches: a close then has only the rule under test to explain it. */
const never = 3_600_000;

describe('slow and greedy clients', () => {
  let host: TestHost;
  const listeners: Listening[] = [];

  before(async () => {
    host = await startTestHost();
    const response = await host.deploy(bundleWith(manifestFor('fx-echo', '/fx/echo', `[limits]\nmax_body_bytes = ${maxBodyBytes}\n`), fixtureComponent('echo')));
    assert.equal(response.status, 201, await response.text());
  });

  after(async () => {
    await Promise.all(listeners.map((l) => l.close()));
    await host.close();
  });

  /** The function port of `host`, listening with these limits (as `wasmlet serve` would with the flags). */
  async function functionPort(limits: Partial<ServerLimits>): Promise<string> {
    const listening = await listen(host.host.httpTrigger, '127.0.0.1', 0, { limits });
    listeners.push(listening);
    return listening.url;
  }

  test('8 clients trickling their headers: each answered 408 request_timeout and closed by the server', async () => {
    const url = await functionPort({ headerTimeoutMs: 300, requestTimeoutMs: 600 });
    const ends = await Promise.all(Array.from({ length: 8 }, async () => {
      const client = await connectRaw(url);
      client.write('GET /fx/echo HTTP/1.1\r\nHost: x\r\n');
      const trickle = setInterval(() => client.write('x'), 50); // active, but never a whole head
      try {
        return await client.end();
      } finally {
        clearInterval(trickle);
      }
    }));
    assert.deepEqual(ends.map(outcomeOf), Array(8).fill('closed 408 request_timeout'));
  });

  test('8 clients trickling a body: each answered 408 request_timeout and closed by the server', async () => {
    const url = await functionPort({ headerTimeoutMs: 300, requestTimeoutMs: 600 });
    const ends = await Promise.all(Array.from({ length: 8 }, async () => {
      const client = await connectRaw(url);
      client.write('POST /fx/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n');
      const trickle = setInterval(() => client.write('y'), 50);
      try {
        return await client.end();
      } finally {
        clearInterval(trickle);
      }
    }));
    assert.deepEqual(ends.map(outcomeOf), Array(8).fill('closed 408 request_timeout'));
  });

  test('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const url = await functionPort({ keepAliveTimeoutMs: 200, headerTimeoutMs: never, requestTimeoutMs: never });
    const client = await connectRaw(url);
    client.write('GET /fx/echo HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal((await client.response()).status, 200);
    assert.equal((await client.end()).ending, 'closed');
  });

  test('past the connection cap, a new connection is closed at once; one gets in again when another leaves', async () => {
    const url = await functionPort({ maxConnections: 4, headerTimeoutMs: never, requestTimeoutMs: never });
    const held: RawConnection[] = [];
    for (let i = 0; i < 4; i++) held.push(await connectRaw(url));
    const refused = await Promise.all(Array.from({ length: 4 }, async () => (await connectRaw(url)).end()));
    assert.deepEqual(refused.map((end) => `${end.ending} ${end.bytes.length}`), Array(4).fill('closed 0'));
    // The held ones are served.
    held[0]!.write('GET /fx/echo HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal((await held[0]!.response()).status, 200);
    held[1]!.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    const later = await retryConnect(url);
    later.write('GET /fx/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal((await later.response()).status, 200);
    for (const connection of [...held, later]) connection.destroy();
  });

  test('a connection carries at most maxRequestsPerSocket requests: the last answer closes it', async () => {
    const url = await functionPort({ maxRequestsPerSocket: 3, headerTimeoutMs: never, requestTimeoutMs: never, keepAliveTimeoutMs: never });
    const client = await connectRaw(url);
    client.write('GET /fx/echo HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(3));
    const end = await client.end();
    assert.equal(end.ending, 'closed');
    const responses = parseResponses(end.bytes);
    assert.deepEqual(responses.map((r) => `${r.status} ${r.headers.connection}`), ['200 keep-alive', '200 keep-alive', '200 close']);
  });

  test('a chunked body over the limit: undici and node:http read the 413, never a reset', async () => {
    const url = await functionPort({});
    const piece = Buffer.alloc(64 * 1024, 0x61);
    async function* body() {
      for (let i = 0; i < 64; i++) yield piece; // 4 MiB, chunked
    }
    const outcomes = new Map<string, number>();
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    for (let round = 0; round < 5; round++) {
      try {
        const response = await undiciRequest(`${url}/fx/echo`, { method: 'POST', body: Readable.from(body()) });
        count(`undici ${response.statusCode} ${((await response.body.json()) as { code: string }).code}`);
      } catch (err) {
        count(`undici ${(err as { code?: string }).code ?? String(err)}`);
      }
      count(await nodeHttpUpload(`${url}/fx/echo`, body()));
    }
    assert.deepEqual(Object.fromEntries(outcomes), { 'undici 413 body_too_large': 5, 'node:http 413 body_too_large': 5 });
  });

  test('a chunk of FFFFFFFFFFFFFFFF bytes is answered 413 as soon as its size line is in, and the connection closed', async () => {
    const url = await functionPort({ headerTimeoutMs: never, requestTimeoutMs: never });
    const client = await connectRaw(url);
    client.write('POST /fx/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\nabc');
    assert.equal(outcomeOf(await client.end()), 'closed 413 body_too_large');
  });

  test("a chunk larger than the function's limit is answered 413 before its bytes come", async () => {
    const url = await functionPort({ headerTimeoutMs: never, requestTimeoutMs: never });
    const client = await connectRaw(url);
    client.write(`POST /fx/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${(maxBodyBytes + 1).toString(16)}\r\n`);
    const response = await client.response();
    assert.equal(response.status, 413);
    assert.equal(response.headers.connection, 'close');
    client.destroy();
  });

  test('a chunk size past 2^64 is refused by the parser: 400 request_malformed, closed', async () => {
    const url = await functionPort({ headerTimeoutMs: never, requestTimeoutMs: never });
    const client = await connectRaw(url);
    client.write('POST /fx/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n');
    assert.equal(outcomeOf(await client.end()), 'closed 400 request_malformed');
  });

  test('chunked bodies within the limit still arrive whole, pipelined on one connection', async () => {
    const url = await functionPort({});
    const client = await connectRaw(url);
    const post = (body: string) => `POST /fx/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    client.write(post('first') + post('x'.repeat(maxBodyBytes)) + post('third').replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'));
    const end = await client.end();
    assert.deepEqual(parseResponses(end.bytes).map((r) => `${r.status} ${(JSON.parse(r.body) as { body: string }).body.length}`), ['200 5', `200 ${maxBodyBytes}`, '200 5']);
  });
});

test('wasmlet serve applies the limits to its ports: a slow client of the function port and of the admin API is closed', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-slow-'));
  const running = await startHost({
    host: '127.0.0.1',
    port: 0,
    adminPort: 0,
    dataDir,
    workers: 1,
    deployExamples: false,
    log: () => undefined,
    serverLimits: { headerTimeoutMs: 200, requestTimeoutMs: 400 },
  });
  try {
    const ends = await Promise.all([running.urls.http, running.urls.admin].map(async (url) => {
      const client = await connectRaw(url);
      client.write('GET /v1/health HTTP/1.1\r\nHost: x\r\n');
      return (await client.end()).ending;
    }));
    assert.deepEqual(ends, ['closed', 'closed']);
  } finally {
    await running.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

/** "closed 408 request_timeout": how the connection ended, the status and code of what it was answered. */
function outcomeOf(end: RawEnd): string {
  const [response] = parseResponses(end.bytes);
  if (!response) return `${end.ending} without an answer`;
  const code = response.headers['content-type'] === 'application/problem+json' ? (JSON.parse(response.body) as { code: string }).code : 'not problem+json';
  return `${end.ending} ${response.status} ${code}`;
}

/** The server may take a moment to count a closed connection out: connect until one is kept. */
async function retryConnect(url: string): Promise<RawConnection> {
  for (let attempt = 0; ; attempt++) {
    const connection = await connectRaw(url);
    const end = await connection.end(50);
    if (end.ending === 'open') return connection;
    if (attempt === 100) throw new Error('no connection was kept after one was released');
  }
}

/** node:http with a chunked upload: "node:http <status> <code>", or the error its request reported (even after a response). */
function nodeHttpUpload(url: string, body: AsyncIterable<Buffer>): Promise<string> {
  return new Promise((resolve) => {
    let answer: string | undefined;
    let failure: string | undefined;
    const request = httpRequest(url, { method: 'POST' }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        answer = `node:http ${response.statusCode} ${(JSON.parse(text) as { code: string }).code}`;
      });
    });
    request.on('error', (err: NodeJS.ErrnoException) => (failure = `node:http ${err.code ?? err.message}`));
    request.on('close', () => setImmediate(() => resolve(failure ?? answer ?? 'node:http no answer')));
    void (async () => {
      for await (const piece of body) {
        if (request.destroyed) return;
        if (!request.write(piece)) {
          await new Promise<void>((done) => {
            const resume = () => {
              request.off('drain', resume).off('close', resume);
              done();
            };
            request.on('drain', resume).on('close', resume);
          });
        }
      }
      request.end();
    })();
  });
}
