// Lambda's configuration calls change a function by deploying a new version whose wasmlet.toml says
// the new settings: FunctionName → `name`, Environment.Variables → `[env]`, Timeout → `[limits]
// timeout_ms`, MemorySize → `memory_mb`, the event invoke config → `[async]`. The TOML is parsed
// and written back (comments are not kept); the component is untouched, so the deploy reuses its
// compiled artifacts.
import { strToU8, zipSync } from 'fflate';
import type { Bundle } from '../../bundle/read-bundle.js';
import { parse, stringify } from 'smol-toml';
import { manifestFileName } from '../../manifest/manifest.js';
import { LambdaError } from './lambda-error.js';

/** What a Lambda call sets; undefined members are left as the manifest says. `null` removes a key. */
export interface ManifestEdit {
  readonly name?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly memoryMb?: number;
  readonly async?: {
    readonly maxRetries?: number | null;
    readonly maxEventAgeS?: number | null;
    readonly onFailure?: string | null;
    readonly onSuccess?: string | null;
  };
}

/** The manifest text with `edit` applied. */
export function editManifest(source: string, edit: ManifestEdit): string {
  let toml: Record<string, unknown>;
  try {
    toml = parse(source) as Record<string, unknown>;
  } catch (err) {
    throw new LambdaError('InvalidParameterValueException', `${manifestFileName} is not valid TOML: ${(err as Error).message}`);
  }
  if (edit.name !== undefined) toml.name = edit.name;
  if (edit.env !== undefined) toml.env = { ...edit.env };
  if (edit.timeoutMs !== undefined) table(toml, 'limits').timeout_ms = edit.timeoutMs;
  if (edit.memoryMb !== undefined) table(toml, 'limits').memory_mb = edit.memoryMb;
  if (edit.async) {
    const async = table(toml, 'async');
    const set = (key: string, value: number | string | null | undefined) => {
      if (value === null) delete async[key];
      else if (value !== undefined) async[key] = value;
    };
    set('max_retries', edit.async.maxRetries);
    set('max_event_age_s', edit.async.maxEventAgeS);
    set('on_failure', edit.async.onFailure);
    set('on_success', edit.async.onSuccess);
  }
  return `${stringify(toml)}\n`;
}

/**
 * A bundle of the component and `manifestSource` (what the host reads of a bundle: other entries are
 * ignored on deploy anyway). `bundle` comes from readBundle, which unpacked it within its limits.
 */
export function rebundle(bundle: Pick<Bundle, 'manifest' | 'component'>, manifestSource: string): Uint8Array {
  // The same inputs give the same bytes (and so the same CodeSha256): a fixed, local-time mtime, as pack-function.ts.
  return zipSync({ [manifestFileName]: strToU8(manifestSource), [bundle.manifest.component]: bundle.component }, { level: 6, mtime: new Date(1980, 0, 1, 0, 0, 0) });
}

function table(toml: Record<string, unknown>, key: string): Record<string, unknown> {
  const existing = toml[key];
  if (typeof existing === 'object' && existing !== null && !Array.isArray(existing)) return existing as Record<string, unknown>;
  const created: Record<string, unknown> = {};
  toml[key] = created;
  return created;
}
