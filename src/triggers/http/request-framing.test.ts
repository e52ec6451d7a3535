// RequestFraming follows pipelined requests however the bytes are split, and knows a chunk's size from its line.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RequestFraming } from './request-framing.js';

const get = 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n';
const withLength = 'POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello';
const chunked = 'POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nTrailer: t\r\n\r\n';
const absurd = 'POST /d HTTP/1.1\r\nHost: x\r\ntransfer-encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\nxyz';

/** Feeds `text` in pieces of `size` bytes; the declared size seen after each piece. */
function feed(text: string, size: number, framing = new RequestFraming()): number[] {
  const bytes = Buffer.from(text, 'latin1');
  const seen: number[] = [];
  for (let at = 0; at < bytes.length; at += size) {
    framing.push(bytes.subarray(at, at + size));
    seen.push(framing.declaredBodyBytes);
  }
  return seen;
}

describe('RequestFraming', () => {
  test('a chunked body: the sum of its chunk sizes, 0 once the message ends', () => {
    const framing = new RequestFraming();
    framing.push(Buffer.from(chunked.slice(0, chunked.indexOf('abc'))));
    assert.equal(framing.declaredBodyBytes, 3);
    framing.push(Buffer.from(chunked.slice(chunked.indexOf('abc'), chunked.indexOf('0123'))));
    assert.equal(framing.declaredBodyBytes, 13);
    framing.push(Buffer.from(chunked.slice(chunked.indexOf('0123'))));
    assert.equal(framing.declaredBodyBytes, 0);
  });

  test('FFFFFFFFFFFFFFFF is known from its line, before any of its bytes', () => {
    const seen = feed(absurd, absurd.length);
    assert.ok(seen[0]! > 2 ** 63, String(seen[0]));
  });

  test('digits of a chunk size still arriving are a lower bound', () => {
    const framing = new RequestFraming();
    framing.push(Buffer.from(absurd.slice(0, absurd.indexOf('FFFF') + 9)));
    assert.equal(framing.declaredBodyBytes, 0xfffffffff);
  });

  test('pipelined requests, split at every size from 1 byte to whole', () => {
    const stream = `\r\n${get}${withLength}${chunked}${get}${absurd}`;
    for (let size = 1; size <= stream.length; size++) {
      const framing = new RequestFraming();
      const seen = feed(stream, size, framing);
      // Until the last message's chunk line, only the sizes of the others: 5, then 3 and 13, each back to 0.
      const beforeAbsurd = seen.slice(0, Math.floor(stream.indexOf('FFFF') / size));
      assert.ok(beforeAbsurd.every((declared) => [0, 3, 5, 13].includes(declared)), `split by ${size}: ${beforeAbsurd.join(',')}`);
      assert.ok(framing.declaredBodyBytes > 2 ** 63, `split by ${size}: ${framing.declaredBodyBytes}`);
    }
  });

  test('a Content-Length is declared until its bytes are in', () => {
    const framing = new RequestFraming();
    framing.push(Buffer.from(withLength.slice(0, -2)));
    assert.equal(framing.declaredBodyBytes, 5);
    framing.push(Buffer.from(withLength.slice(-2)));
    assert.equal(framing.declaredBodyBytes, 0);
  });

  test('what it cannot follow, it stops following (Node refuses it anyway)', () => {
    for (const text of [`${'POST /e HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n'}zz\r\n5\r\n`, `GET /${'a'.repeat(70 * 1024)}`, 'CONNECT x:443 HTTP/1.1\r\n\r\n5\r\n']) {
      const framing = new RequestFraming();
      framing.push(Buffer.from(text));
      framing.push(Buffer.from(absurd));
      assert.equal(framing.declaredBodyBytes, 0);
    }
  });
});
