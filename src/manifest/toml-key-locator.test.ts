// The locator finds the line of a key path in every TOML form a manifest can take.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'smol-toml';
import { TomlKeyLocator, type KeyPath } from './toml-key-locator.js';

/** Asserts each path's line, after checking the source is valid TOML (the locator only sees valid documents). */
function assertLines(source: string, expected: readonly [KeyPath, number | undefined][]): void {
  parse(source);
  const locator = new TomlKeyLocator(source);
  for (const [path, line] of expected) assert.equal(locator.lineOf(path), line, JSON.stringify(path));
}

test('top-level keys and [table] keys', () => {
  assertLines('name = "a"\n\n[limits]\n  timeout_ms = 5 # note\nmemory_mb=1\n', [
    [['name'], 1],
    [['limits'], 3],
    [['limits', 'timeout_ms'], 4],
    [['limits', 'memory_mb'], 5],
  ]);
});

test('[[array]] tables by index, and keys within each', () => {
  assertLines('[[http]]\nroute = "/a"\n\n[[http]]\nroute = "/b"\nmethods = ["GET"]\n', [
    [['http'], 1],
    [['http', 0], 1],
    [['http', 0, 'route'], 2],
    [['http', 1], 4],
    [['http', 1, 'route'], 5],
    [['http', 1, 'methods', 0], 6],
  ]);
});

test('nested tables under an element of an array of tables', () => {
  assertLines('[[a]]\nx = 1\n[[a]]\n[a.b]\ny = 2\n[[a.c]]\nz = 3\n', [
    [['a', 1, 'b'], 4],
    [['a', 1, 'b', 'y'], 5],
    [['a', 1, 'c', 0, 'z'], 7],
  ]);
});

test('dotted, quoted and spaced keys', () => {
  assertLines('limits.timeout_ms = 5\n"quoted key" = 1\n[config]\n"a.b" = "x"\n\'lit\' . "x y" = 2\n[ env ]\nA = "1"\n', [
    [['limits'], 1],
    [['limits', 'timeout_ms'], 1],
    [['quoted key'], 2],
    [['config', 'a.b'], 4],
    [['config', 'lit', 'x y'], 5],
    [['env', 'A'], 7],
  ]);
});

test('escapes in quoted keys', () => {
  assertLines('[config]\n"tab\\there" = "x"\n"\\u00e9t\\u00e9" = "y"\n', [
    [['config', 'tab\there'], 2],
    [['config', 'été'], 3],
  ]);
});

test('inline tables and arrays spanning lines', () => {
  assertLines('limits = { timeout_ms = 5, memory_mb = 1 }\nhosts = [\n  "a", # first\n  "b",\n]\nhttp = [\n  { route = "/x" },\n  { route = "/y", methods = ["GET",\n "PUT"] },\n]\n', [
    [['limits', 'memory_mb'], 1],
    [['hosts', 0], 3],
    [['hosts', 1], 4],
    [['http', 1, 'route'], 8],
    [['http', 1, 'methods', 1], 9],
  ]);
});

test('strings that look like headers, comments or keys are not mistaken for them', () => {
  assertLines('a = "[limits] # not a comment"\nb = """\n[limits]\ntimeout_ms = 1\n"""\nc = \'\'\'\n[[http]]\'\'\'\n[limits]\ntimeout_ms = 2\n', [
    [['a'], 1],
    [['b'], 2],
    [['c'], 6],
    [['limits'], 8],
    [['limits', 'timeout_ms'], 9],
    [['http'], undefined],
  ]);
});

test('multi-line strings ending in quotes', () => {
  assertLines('a = """x""""\nb = 1\n', [[['b'], 2]]);
});

test('falls back to the nearest ancestor, or to no line', () => {
  assertLines('x = 1\n[[http]]\nmethods = ["GET"]\n', [
    [['http', 0, 'route'], 2],
    [['name'], undefined],
    [[], undefined],
  ]);
});

test('CRLF line endings', () => {
  assertLines('name = "a"\r\n[limits]\r\ntimeout_ms = 5\r\n', [[['limits', 'timeout_ms'], 3]]);
});
