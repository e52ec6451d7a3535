// Builds bundles in memory for tests: a manifest written by the test plus a real component file.
import { readFileSync } from 'node:fs';
import { zipSync, type Zippable } from 'fflate';

const encoder = new TextEncoder();

/** A zip of `wasmlet.toml` (given as text) and the component at `componentPath`, stored as `component.wasm`. */
export function bundleWith(manifest: string, componentPath: string, extra: Zippable = {}): Uint8Array {
  return zipSync({ 'wasmlet.toml': encoder.encode(manifest), 'component.wasm': readFileSync(componentPath), ...extra });
}

/** A manifest for a function serving `route`, with optional extra TOML appended. */
export function manifestFor(name: string, route: string, extraToml = ''): string {
  return `name = "${name}"\ncomponent = "component.wasm"\n\n[[http]]\nroute = "${route}"\n${extraToml}`;
}
