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
    config: manifest.config,
    publish: manifest.publish,
    outboundHttp: manifest.allowedOutboundHosts.length > 0,
  });
  grantsByManifest.set(manifest, grants);
  return grants;
}
