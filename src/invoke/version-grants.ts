// The grants and version key an invocation runs with. A function whose [config] references secrets
// gets them resolved here, once per change: its version key is the bundle digest plus the revisions
// of the secrets it reads, so a new value makes a new key and each worker receives the new grants
// once (runtime/worker-pool.ts sends grants once per key), never per call. Per call this costs one
// in-memory generation comparison.
import type { InstanceGrants } from '../capabilities/instance-imports.js';
import { grantsOfManifest, secretReferencesOf } from '../manifest/instance-grants.js';
import type { Manifest } from '../manifest/manifest.js';
import { redactionTermsOf } from '../secrets/redaction-terms.js';
import type { SecretStore } from '../secrets/secret-store.js';

/** What a version runs with, or why it cannot run (a referenced secret is gone or unreadable). */
export type ResolvedGrants =
  | { readonly ok: true; readonly versionKey: string; readonly grants: InstanceGrants }
  | { readonly ok: false; readonly message: string };

interface Resolution {
  readonly bundleHex: string;
  /** The store's generation this was last checked against. */
  generation: number;
  /** The revisions of the referenced secrets, in reference order. */
  readonly revisions: string;
  readonly resolved: ResolvedGrants;
}

export class VersionGrants {
  readonly #secrets: SecretStore;
  readonly #byManifest = new WeakMap<Manifest, Resolution>();

  constructor(secrets: SecretStore) {
    this.#secrets = secrets;
  }

  /**
   * @example const version = grants.of(fn.manifest, fn.current.bundleHex); if (version.ok) pool.invoke({ ...version, ... })
   */
  of(manifest: Manifest, bundleHex: string): ResolvedGrants {
    const references = secretReferencesOf(manifest);
    if (references.length === 0) return { ok: true, versionKey: bundleHex, grants: grantsOfManifest(manifest) };
    const generation = this.#secrets.generation;
    const known = this.#byManifest.get(manifest);
    if (known?.bundleHex === bundleHex && known.generation === generation) return known.resolved;
    // Some secret changed: only a change to one this function reads costs a decryption.
    const revisions = references.map(([, name]) => this.#secrets.revisionOf(name) ?? '-').join('.');
    if (known?.bundleHex === bundleHex && known.revisions === revisions) {
      known.generation = generation;
      return known.resolved;
    }
    const resolved = this.#resolve(manifest, bundleHex, references, revisions);
    this.#byManifest.set(manifest, { bundleHex, generation, revisions, resolved });
    return resolved;
  }

  #resolve(manifest: Manifest, bundleHex: string, references: readonly (readonly [string, string])[], revisions: string): ResolvedGrants {
    const values = new Map<string, string>();
    for (const [key, name] of references) {
      let value: string | undefined;
      try {
        value = this.#secrets.reveal(name);
      } catch (err) {
        return { ok: false, message: `config key ${JSON.stringify(key)}: ${(err as Error).message}` };
      }
      if (value === undefined) return { ok: false, message: `config key ${JSON.stringify(key)} references secret ${name}, which is not set (wasmlet secret set ${name})` };
      values.set(key, value);
    }
    const config = Object.create(null) as Record<string, string>;
    for (const [key, value] of Object.entries(manifest.config)) config[key] = typeof value === 'string' ? value : values.get(key)!;
    const grants: InstanceGrants = Object.freeze({
      ...grantsOfManifest(manifest),
      config: Object.freeze(config),
      redact: redactionTermsOf([...values.values()]),
    });
    return { ok: true, versionKey: `${bundleHex}:secrets=${revisions}`, grants };
  }
}
