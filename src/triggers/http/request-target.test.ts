// Every spelling of issue 12's finding "Paths are ambiguous", and the RFC 3986 rules behind them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRequestTarget } from './request-target.js';

/** [target, the normal path (and query), or the words the refusal must contain]. */
type Case = readonly [target: string, expected: { path: string; query?: string } | { refused: RegExp }];

/** A front proxy guards /internal/*; each spelling either means one path to every reader, or is refused. */
const spellings: readonly Case[] = [
  ['/public/secret', { path: '/public/secret' }],
  ['/internal/secret', { path: '/internal/secret' }],
  ['//evil.example/internal/secret', { refused: /leading "\/\/"/ }],
  ['/public/../internal/secret', { path: '/internal/secret' }],
  ['/public/%2e%2e/internal/secret', { refused: /encoded dot/ }],
  ['/public/%2E%2E/internal/secret', { refused: /encoded dot/ }],
  ['/public/.%2e/internal/secret', { refused: /encoded dot/ }],
  ['/public/%2e./internal/secret', { refused: /encoded dot/ }],
  ['/internal/%2e/secret', { refused: /encoded dot/ }],
  ['/public\\..\\internal\\secret', { refused: /backslash/ }],
  ['/public/..\\internal/secret', { refused: /backslash/ }],
  ['http://evil.example/internal/secret', { refused: /absolute form/ }],
  ['http://127.0.0.1/public/secret', { refused: /absolute form/ }],
  ['/public/..%2finternal/secret', { refused: /encoded slash/ }],
  ['/public%2F..%2Finternal%2Fsecret', { refused: /encoded slash/ }],
  ['/public/%5c..%5cinternal/secret', { refused: /encoded backslash/ }],
  ['/%69nternal/secret', { path: '/internal/secret' }],
  ['/public/./secret', { path: '/public/secret' }],
  ['/public//secret', { path: '/public//secret' }],
  ['/public/secret/..', { path: '/public/' }],
  ['/public/%00/secret', { refused: /encoded control/ }],
  ['/public/secret#/../../internal/secret', { refused: /fragment/ }],
  ['/public/..;/internal/secret', { refused: /parameters/ }],
  ['/public/%252e%252e/internal/secret', { path: '/public/%252e%252e/internal/secret' }],
  ['/public/secret?next=/../internal', { path: '/public/secret', query: 'next=/../internal' }],
  ['/..//internal/secret', { refused: /leading "\/\/"/ }],
];

/** The RFC 3986 rules themselves, and what Node's parser already refuses (refused here too). */
const rules: readonly Case[] = [
  ['/', { path: '/' }],
  ['/a/b/c/./../../g', { path: '/a/g' }], // RFC 3986 §5.4.2
  ['/..', { path: '/' }],
  ['/../internal/secret', { path: '/internal/secret' }],
  ['/a/.', { path: '/a/' }],
  ['/a/b/..', { path: '/a/' }],
  ['/a/..', { path: '/' }],
  ['/./a', { path: '/a' }],
  ['/a/...', { path: '/a/...' }],
  ['/a/.b/..c', { path: '/a/.b/..c' }],
  ['/a/%7e%41', { path: '/a/~A' }],
  ['/a/%c3%a9', { path: '/a/%C3%A9' }],
  ['/a/%3f%23', { path: '/a/%3F%23' }],
  ['/a?', { path: '/a', query: '' }],
  ['/a?b=%2e%2e/c#', { refused: /fragment/ }],
  ['/a?q=a\\b', { path: '/a', query: 'q=a\\b' }],
  ['/a/%zz', { refused: /two hex digits/ }],
  ['/a/%2', { refused: /two hex digits/ }],
  ['/a/%7f', { refused: /encoded control/ }],
  ['/a/.;x', { refused: /parameters/ }],
  ['/.//a', { refused: /leading "\/\/"/ }],
  ['*', { refused: /asterisk/ }],
  ['evil.example:443', { refused: /absolute form/ }],
  ['', { refused: /no leading "\/"/ }],
  ['a/b', { refused: /no leading "\/"/ }],
  ['/a\u0000b', { refused: /control/ }],
  ['/a\tb', { refused: /control/ }],
  ['/a b', { refused: /space/ }],
  ['/a?q=\u007f', { refused: /control/ }],
  ['/caf\u00e9', { refused: /outside ASCII/ }],
];

describe('parseRequestTarget', () => {
  for (const [group, cases] of [['the finding', spellings], ['RFC 3986', rules]] as const) {
    for (const [target, expected] of cases) {
      test(`${group}: ${JSON.stringify(target)}`, () => {
        const parsed = parseRequestTarget(target);
        if ('refused' in expected) {
          assert.equal(parsed.ok, false, `${target} must be refused, got ${JSON.stringify(parsed)}`);
          if (!parsed.ok) assert.match(parsed.reason, expected.refused);
        } else {
          assert.deepEqual(parsed, { ok: true, path: expected.path, query: expected.query ?? '' });
        }
      });
    }
  }

  test('the finding lists 26 spellings', () => assert.equal(spellings.length, 26));

  test('a normal path is its own normal form', () => {
    for (const [, expected] of [...spellings, ...rules]) {
      if ('path' in expected) assert.deepEqual(parseRequestTarget(expected.path), { ok: true, path: expected.path, query: '' });
    }
  });
});
