import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WasmletError } from '../errors/wasmlet-error.js';
import { checkServerLimits, defaultServerLimits, uploadLimits, uploadRequestTimeoutMs } from './server-limits.js';

test('each limit is checked with its own message, naming the flag', () => {
  const refused = (limits: Parameters<typeof checkServerLimits>[0], message: RegExp) =>
    assert.throws(() => checkServerLimits(limits), (err: unknown) => err instanceof WasmletError && err.code === 'bad_request' && message.test(err.message));
  refused({ headerTimeoutMs: 0 }, /^--header-timeout-ms must be an integer from 1 to 3600000, got 0$/);
  refused({ requestTimeoutMs: 1.5 }, /^--request-timeout-ms must be an integer/);
  refused({ keepAliveTimeoutMs: -1 }, /^--keep-alive-timeout-ms must be/);
  refused({ maxConnections: 0 }, /^--max-connections must be an integer from 1 to 1000000, got 0$/);
  refused({ maxRequestsPerSocket: 2_000_000 }, /^--max-requests-per-socket must be/);
  refused({ headerTimeoutMs: 40_000 }, /^--header-timeout-ms \(40000\) must not exceed --request-timeout-ms \(30000\)$/);
  checkServerLimits({});
  checkServerLimits({ ...defaultServerLimits, headerTimeoutMs: 30_000 });
});

test('ports that take uploads keep at least an upload request timeout, and the other limits as given', () => {
  assert.deepEqual(uploadLimits(), { requestTimeoutMs: uploadRequestTimeoutMs });
  assert.deepEqual(uploadLimits({ headerTimeoutMs: 500, requestTimeoutMs: 1000 }), { headerTimeoutMs: 500, requestTimeoutMs: uploadRequestTimeoutMs });
  assert.equal(uploadLimits({ requestTimeoutMs: 900_000 }).requestTimeoutMs, 900_000);
});
