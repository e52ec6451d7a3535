// The host's version, from package.json (reported by /v1/health).
import { readFileSync } from 'node:fs';

export const hostVersion: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
