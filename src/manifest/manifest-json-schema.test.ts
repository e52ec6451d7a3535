// The committed JSON Schema stays what the zod schema generates, and documents every key.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { formatManifestJsonSchema, manifestJsonSchema, manifestJsonSchemaId, manifestJsonSchemaPath } from './manifest-json-schema.js';

test(`${manifestJsonSchemaPath} is what the zod schema generates (run: node dist/src/manifest/write-json-schema.js)`, () => {
  const committed = readFileSync(new URL(`../../../${manifestJsonSchemaPath}`, import.meta.url), 'utf8');
  assert.equal(committed, formatManifestJsonSchema());
});

test('the JSON Schema is identified, titled and closed', () => {
  const schema = manifestJsonSchema();
  assert.equal(schema.$id, manifestJsonSchemaId);
  assert.equal(schema.title, 'wasmlet.toml');
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema.required, ['name', 'component']);
});

test('every property of the JSON Schema has a description', () => {
  const missing: string[] = [];
  const visit = (node: unknown, path: string): void => {
    if (typeof node !== 'object' || node === null) return;
    const properties = (node as { properties?: Record<string, unknown> }).properties ?? {};
    for (const [key, child] of Object.entries(properties)) {
      if (typeof (child as { description?: unknown }).description !== 'string') missing.push(`${path}${key}`);
      visit(child, `${path}${key}.`);
    }
    visit((node as { items?: unknown }).items, `${path}[].`);
  };
  visit(manifestJsonSchema(), '');
  assert.deepEqual(missing, []);
});
