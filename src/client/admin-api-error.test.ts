import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errorFromResponse, isTransportError, unreachableError } from './admin-api-error.js';

describe('errorFromResponse', () => {
  test('keeps a known code, the message and the details', () => {
    const body = JSON.stringify({ error: { code: 'manifest_invalid', message: 'unknown key "tmeout_ms"', details: { key: 'tmeout_ms' } } });
    const err = errorFromResponse('POST /v1/functions', 400, body);
    assert.equal(err.code, 'manifest_invalid');
    assert.equal(err.message, 'unknown key "tmeout_ms"');
    assert.deepEqual(err.details, { key: 'tmeout_ms' });
  });

  test('an unknown code becomes internal, keeping the message and the server code', () => {
    const err = errorFromResponse('GET /v1/functions', 418, JSON.stringify({ error: { code: 'teapot', message: 'short and stout' } }));
    assert.equal(err.code, 'internal');
    assert.equal(err.message, 'short and stout');
    assert.deepEqual(err.details, { serverCode: 'teapot' });
  });

  test('a body that is not the error shape names the request and quotes the body', () => {
    const err = errorFromResponse('GET /v1/functions', 502, '<html>\n  <h1>Bad Gateway</h1>\n</html>');
    assert.equal(err.code, 'internal');
    assert.equal(err.message, 'the admin API answered GET /v1/functions with HTTP 502: <html> <h1>Bad Gateway</h1> </html>');
  });

  test('a bare 401 says how to pass the token', () => {
    const err = errorFromResponse('GET /v1/functions', 401, '');
    assert.equal(err.code, 'unauthorized');
    assert.match(err.message, /--token or WASMLET_TOKEN/);
  });
});

describe('unreachableError', () => {
  test('names the URL and the reason and asks whether serve is running', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8081'), { code: 'ECONNREFUSED' });
    const err = unreachableError('http://127.0.0.1:8081', cause);
    assert.equal(err.code, 'internal');
    assert.equal(err.message, 'cannot reach the admin API at http://127.0.0.1:8081: connection refused (ECONNREFUSED) — is `wasmlet serve` running?');
    assert.equal(err.cause, cause);
  });

  test('reads the code of the first error of an AggregateError (a name with several addresses)', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED ::1:8081'), { code: 'ECONNREFUSED' });
    assert.match(unreachableError('http://localhost:8081', new AggregateError([inner])).message, /connection refused/);
  });
});

test('isTransportError tells network failures from bugs', () => {
  assert.equal(isTransportError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), true);
  assert.equal(isTransportError(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' })), true);
  assert.equal(isTransportError(Object.assign(new Error('x'), { code: 'HPE_INVALID_CONSTANT' })), true);
  assert.equal(isTransportError(Object.assign(new TypeError('x'), { code: 'ERR_INVALID_ARG_TYPE' })), false);
  assert.equal(isTransportError(new TypeError('undefined is not a function')), false);
});
