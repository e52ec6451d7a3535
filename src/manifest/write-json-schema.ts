// Regenerates sdk/wasmlet.schema.json from the zod schema: `node dist/src/manifest/write-json-schema.js`.
import { writeFile } from 'node:fs/promises';
import { formatManifestJsonSchema, manifestJsonSchemaPath } from './manifest-json-schema.js';

// dist/src/manifest/ -> repository root.
const target = new URL(`../../../${manifestJsonSchemaPath}`, import.meta.url);
await writeFile(target, formatManifestJsonSchema());
console.log(`wrote ${manifestJsonSchemaPath}`);
