import assert from 'node:assert/strict';
import { test } from 'node:test';
import { socketImports } from './sockets.js';

test('every socket and lookup is refused with a WASI error code, not a trap', () => {
  assert.throws(() => socketImports['wasi:sockets/tcp-create-socket'].createTcpSocket(), (e: unknown) => (e as { payload: string }).payload === 'access-denied');
  assert.throws(() => socketImports['wasi:sockets/udp-create-socket'].createUdpSocket(), (e: unknown) => (e as { payload: string }).payload === 'access-denied');
  assert.throws(() => socketImports['wasi:sockets/ip-name-lookup'].resolveAddresses(), (e: unknown) => (e as { payload: string }).payload === 'permanent-resolver-failure');
});
