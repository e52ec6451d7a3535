// A bundle zip -> its parsed manifest and component bytes: unpack under limits, find wasmlet.toml at
// the root, parse it, find the component it names. Everything else in the zip is ignored.
import { WasmletError } from '../errors/wasmlet-error.js';
import { manifestFileName, type Manifest } from '../manifest/manifest.js';
import { parseManifest } from '../manifest/parse-manifest.js';
import { defaultBundleLimits, type BundleLimits } from './bundle-limits.js';
import { unpackBundle } from './unpack-bundle.js';

/** A manifest is a few hundred bytes; the cap keeps parsing it trivially cheap whatever the upload. */
export const maxManifestBytes = 64 * 1024;

export interface Bundle {
  readonly manifest: Manifest;
  /** The manifest text as uploaded (BOM removed): the registry keeps it and parses it again on load. */
  readonly manifestSource: string;
  readonly component: Uint8Array;
}

/**
 * @example
 * const { manifest, component } = await readBundle(await readFile('hello.zip'));
 * @throws WasmletError from unpackBundle, then manifest_missing, manifest_invalid (from parseManifest)
 *   or component_missing.
 */
export async function readBundle(zip: Uint8Array, limits: BundleLimits = defaultBundleLimits): Promise<Bundle> {
  const files = await unpackBundle(zip, limits);
  const manifestBytes = files.get(manifestFileName);
  if (!manifestBytes) throw manifestMissing([...files.keys()]);
  if (manifestBytes.length > maxManifestBytes) {
    throw new WasmletError('manifest_invalid', `${manifestFileName} is ${manifestBytes.length} bytes; at most ${maxManifestBytes} are allowed`, {
      limit: maxManifestBytes,
    });
  }
  const manifestSource = decodeManifest(manifestBytes);
  const manifest = parseManifest(manifestSource);
  const component = files.get(manifest.component);
  if (!component) throw componentMissing(manifest.component, [...files.keys()]);
  return Object.freeze({ manifest, manifestSource, component });
}

function decodeManifest(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new WasmletError('manifest_invalid', `${manifestFileName} is not valid UTF-8`, undefined, { cause: err });
  }
}

/** The usual slip is zipping the folder instead of its contents, which puts the manifest one level down. */
function manifestMissing(paths: readonly string[]): WasmletError {
  const nested = paths.find((path) => path.split('/').length === 2 && path.endsWith(`/${manifestFileName}`));
  const miscased = paths.find((path) => path.toLowerCase() === manifestFileName);
  const hint = nested
    ? `; found ${JSON.stringify(nested)}: zip the folder's contents, not the folder`
    : miscased
      ? `; found ${JSON.stringify(miscased)}: the name is case-sensitive`
      : '';
  return new WasmletError('manifest_missing', `the bundle has no ${manifestFileName} at its root${hint}`, nested || miscased ? { found: nested ?? miscased } : undefined);
}

function componentMissing(component: string, paths: readonly string[]): WasmletError {
  const base = component.slice(component.lastIndexOf('/') + 1).toLowerCase();
  const similar = paths.find((path) => path.toLowerCase() === component.toLowerCase()) ?? paths.find((path) => path.slice(path.lastIndexOf('/') + 1).toLowerCase() === base);
  const hint = similar ? `; found ${JSON.stringify(similar)}` : '';
  return new WasmletError('component_missing', `the bundle has no ${JSON.stringify(component)}, the component ${manifestFileName} names${hint}`, {
    component,
    ...(similar ? { found: similar } : {}),
  });
}
