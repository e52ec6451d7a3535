import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleFunction } from '../../../test/support/fake-admin-api.js';
import { deployedLine, formatRoutes, rolledBackLine, shortDigest } from './function-lines.js';

test('shortDigest keeps the algorithm and 8 hex digits', () => {
  assert.equal(shortDigest(`sha256:1a2b3c4d${'f'.repeat(56)}`), 'sha256:1a2b3c4d…');
  assert.equal(shortDigest('sha256:abc'), 'sha256:abc');
});

test('formatRoutes joins methods and routes; any is ANY; none is -', () => {
  assert.equal(
    formatRoutes([
      { route: '/a', methods: ['GET', 'POST'] },
      { route: '/b/*', methods: 'any' },
    ]),
    'GET,POST /a, ANY /b/*',
  );
  assert.equal(formatRoutes([]), '-');
});

test('deployedLine: a new version, or unchanged', () => {
  const fn = sampleFunction();
  assert.equal(deployedLine({ function: fn, unchanged: false }), 'deployed hello-rust v2 sha256:1a2b3c4d…  GET,POST /hello/rust');
  assert.equal(deployedLine({ function: fn, unchanged: true }), 'hello-rust is unchanged (v2)');
});

test('rolledBackLine names the now active version', () => {
  assert.equal(rolledBackLine(sampleFunction({ version: 1 })), 'rolled back hello-rust: v1 is active (sha256:1a2b3c4d…)');
});
