// Turns a zod issue on the TOML form into a sentence that names the key path, the bad value and
// the line: `limits.timeout_ms must be at most 900000, got 1000000`, `unknown key "x" in [limits]`.
import type * as z from 'zod';
import type { KeyPath, TomlKeyLocator } from './toml-key-locator.js';

export interface ManifestIssue {
  /** The sentence, without the "wasmlet.toml: " prefix and the line suffix. */
  readonly text: string;
  /** The key path in TOML spelling: "limits.timeout_ms", "http[1].route", "config[\"a b\"]". */
  readonly key: string;
  readonly path: KeyPath;
  readonly line: number | undefined;
  /** The offending value, when it is a scalar worth echoing. */
  readonly value: string | number | boolean | undefined;
  /** A required key that is absent: its line, if any, is only its table's. */
  readonly missing: boolean;
}

/** Long values are cut so a message stays one readable line. */
const maxEchoedValueChars = 80;

export function describeManifestIssue(issue: z.core.$ZodIssue, document: unknown, locator: TomlKeyLocator): ManifestIssue {
  const path = issue.path as KeyPath;
  if (issue.code === 'unrecognized_keys') {
    const located = issue.keys.map((k) => ({ k, line: locator.lineOf([...path, k]) }));
    const first = located.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity))[0]!;
    const where = path.length === 0 ? '' : ` in ${tableLabel(path)}`;
    return { text: `unknown key ${JSON.stringify(first.k)}${where}`, key: formatKeyPath([...path, first.k]), path: [...path, first.k], line: first.line, value: undefined, missing: false };
  }
  if (issue.code === 'invalid_key') {
    const parent = path.slice(0, -1);
    const name = String(path[path.length - 1]);
    const reason = issue.issues[0]?.message ?? issue.message;
    return { text: `${formatKeyPath(parent)} key ${JSON.stringify(truncate(name))} ${reason}`, key: formatKeyPath(path), path, line: locator.lineOf(path), value: name, missing: false };
  }
  const key = formatKeyPath(path);
  const value = valueAt(document, path);
  const line = locator.lineOf(path);
  const scalar = typeof value === 'string' ? truncate(value) : isScalar(value) ? value : undefined;
  // A missing enum key (build.language) is reported by zod as a bad value, not a bad type.
  if (issue.code === 'invalid_value' && value === undefined) return { text: `${key} is required`, key, path, line, value: undefined, missing: true };
  if (issue.code === 'invalid_type') {
    const text = value === undefined ? `${key} is required` : `${key} must be ${typeName(issue.expected)}, got ${describeValue(value)}`;
    return { text, key, path, line, value: scalar, missing: value === undefined };
  }
  let reason = issue.message;
  if ((issue.code === 'too_big' || issue.code === 'too_small') && (issue.origin === 'number' || issue.origin === 'int')) {
    reason = issue.code === 'too_big' ? `must be at most ${issue.maximum}` : `must be at least ${issue.minimum}`;
  }
  // A union ([config] values: a string or a secret reference) says what it got, a list or a table too.
  const shown = scalar ?? (issue.code === 'invalid_union' ? value : undefined);
  const got = shown !== undefined && !reason.includes(', got ') ? `, got ${describeValue(shown)}` : '';
  return { text: `${key} ${reason}${got}`, key, path, line, value: scalar, missing: false };
}

/** `limits.timeout_ms`, `http[1].route`, `config["my key"]`. */
export function formatKeyPath(path: KeyPath): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[A-Za-z0-9_-]+$/.test(segment)) return i === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(truncate(segment))}]`;
    })
    .join('');
}

/** A table as a TOML reader thinks of it: `[limits]`, but `http[1]` for an element of `[[http]]`. */
export function tableLabel(path: KeyPath): string {
  return typeof path[path.length - 1] === 'number' ? formatKeyPath(path) : `[${formatKeyPath(path)}]`;
}

function valueAt(document: unknown, path: KeyPath): unknown {
  let value = document;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function typeName(expected: string): string {
  switch (expected) {
    case 'int':
    case 'number': // every number in wasmlet.toml is an integer
      return 'an integer';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a table';
    default:
      return `a ${expected}`;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(truncate(value));
  if (typeof value === 'number') return Number.isNaN(value) ? 'nan' : Number.isFinite(value) ? String(value) : value > 0 ? 'inf' : '-inf';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  return 'a table';
}

function truncate(text: string): string {
  return text.length <= maxEchoedValueChars ? text : `${text.slice(0, maxEchoedValueChars - 1)}…`;
}
