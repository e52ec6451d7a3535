// What a manifest grants its instances (capabilities/capability-unit.ts InstanceGrants), derived
// once per parsed manifest: manifests are frozen and live as long as their version.
import type { InstanceGrants } from '../capabilities/instance-imports.js';
import type { Manifest } from './manifest.js';

const grantsByManifest = new WeakMap<Manifest, InstanceGrants>();

export function grantsOfManifest(manifest: Manifest): InstanceGrants {
  const known = grantsByManifest.get(manifest);
  if (known) return known;
  const grants: InstanceGrants = Object.freeze({
    env: manifest.env,
    // Plain values only: a secret's value is resolved per version by invoke/version-grants.ts.
    config: plainConfigOf(manifest),
    publish: manifest.publish,
    outboundHttp: manifest.allowedOutboundHosts.length > 0,
    keyValueStores: manifest.keyValueStores,
    buckets: manifest.buckets.map((grant) => grant.bucket),
  });
  grantsByManifest.set(manifest, grants);
  return grants;
}

/** `[config]` entries that are references to host secrets: [config key, secret name], in manifest order. */
export function secretReferencesOf(manifest: Manifest): readonly (readonly [key: string, secret: string])[] {
  let known = referencesByManifest.get(manifest);
  if (!known) {
    known = Object.freeze(Object.entries(manifest.config).flatMap(([key, value]) => (typeof value === 'string' ? [] : [Object.freeze([key, value.secret] as const)])));
    referencesByManifest.set(manifest, known);
  }
  return known;
}

const referencesByManifest = new WeakMap<Manifest, readonly (readonly [string, string])[]>();

function plainConfigOf(manifest: Manifest): Readonly<Record<string, string>> {
  if (secretReferencesOf(manifest).length === 0) return manifest.config as Readonly<Record<string, string>>;
  const plain = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(manifest.config)) if (typeof value === 'string') plain[key] = value;
  return Object.freeze(plain);
}
