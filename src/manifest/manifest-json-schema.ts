// The JSON Schema of wasmlet.toml, generated from the zod schema so the two cannot drift.
// Editors (taplo, Even Better TOML) validate and complete manifests with it; it is committed as
// sdk/wasmlet.schema.json, and a test fails when that file is stale.
import * as z from 'zod';
import { manifestTomlSchema } from './manifest-schema.js';

export const manifestJsonSchemaId = 'https://wasmlet.dev/schema/wasmlet.toml.json';

/** Where the committed copy lives, relative to the repository root. */
export const manifestJsonSchemaPath = 'sdk/wasmlet.schema.json';

/**
 * The JSON Schema of the TOML form (snake_case keys; defaulted keys optional).
 * @example writeFileSync('wasmlet.schema.json', formatManifestJsonSchema());
 */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(manifestTomlSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return {
    $schema,
    $id: manifestJsonSchemaId,
    $comment: 'Generated from src/manifest/manifest-schema.ts by `node dist/src/manifest/write-json-schema.js`; do not edit.',
    ...rest,
  };
}

/** The exact text of the committed file. */
export function formatManifestJsonSchema(): string {
  return `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
}
