// The import object of one instance: every capability unit's imports (capability-units.ts), built
// fresh per instance so nothing (environment, stdio, logs, requests) is shared between tenants or
// between calls. Interfaces with no per-instance state come from a per-thread prototype.
import type { CapabilityUnit, InstanceContext, InstanceGrants } from './capability-unit.js';
import { capabilityUnits } from './capability-units.js';
import { sleepOnlyLink, type HostLink } from './host-link.js';
import { InvocationLog } from './invocation-log.js';

export type { InstanceContext, InstanceGrants } from './capability-unit.js';

/** One per HostLink, i.e. per thread: built once, inherited by every instance's import object. */
const sharedByLink = new WeakMap<HostLink, Readonly<Record<string, unknown>>>();

function sharedImportsFor(link: HostLink): Readonly<Record<string, unknown>> {
  const known = sharedByLink.get(link);
  if (known) return known;
  const shared: Record<string, unknown> = {};
  for (const unit of capabilityUnits) Object.assign(shared, unit.sharedImports?.(link));
  sharedByLink.set(link, Object.freeze(shared));
  return shared;
}

/**
 * The glue looks interfaces up by unversioned name (`imports['wasi:cli/stderr']`), whatever patch
 * version the guest was built against. This runs once per instance, so the shared interfaces are
 * inherited from a prototype rather than copied.
 */
export function createInstanceImports(grants: InstanceGrants, context: InstanceContext): Record<string, unknown> {
  const imports = Object.create(sharedImportsFor(context.link)) as Record<string, unknown>;
  for (const unit of capabilityUnits) if (unit.instanceImports) Object.assign(imports, unit.instanceImports(grants, context));
  return imports;
}

export const noGrants: InstanceGrants = Object.freeze({ env: {}, config: {}, publish: [], outboundHttp: false });

/** Interfaces the host implements (unversioned); deploy validation refuses any other import. */
export const providedInterfaces: ReadonlySet<string> = new Set([
  ...Object.keys(sharedImportsFor(sleepOnlyLink)),
  ...Object.keys(createInstanceImports(noGrants, { log: new InvocationLog(), outbox: [], link: sleepOnlyLink })),
]);

/** The versions pinned by units (capability-unit.ts `versions`), by unversioned interface. */
const pinnedVersions: ReadonlyMap<string, string> = new Map(capabilityUnits.flatMap((unit) => Object.entries(unit.versions ?? {})));

/** The one version of `iface` (unversioned) the host implements, when a unit pins it. */
export function pinnedVersionOf(iface: string): string | undefined {
  return pinnedVersions.get(iface);
}

/**
 * Whether the host provides an import as the component names it ("wasi:cli/stdout@0.2.3"): any
 * version of an interface it implements, except where a unit pins the one version it implements.
 */
export function isProvidedImport(name: string): boolean {
  const at = /@([^/]*)$/.exec(name);
  const iface = at ? name.slice(0, at.index) : name;
  if (!providedInterfaces.has(iface)) return false;
  const pinned = pinnedVersions.get(iface);
  return pinned === undefined || at?.[1] === pinned;
}

/** The unit that gates `iface` (unversioned), when one does. */
export function gateOf(iface: string): NonNullable<CapabilityUnit['gate']> | undefined {
  return capabilityUnits.find((unit) => unit.gate?.interfaces.includes(iface))?.gate;
}
