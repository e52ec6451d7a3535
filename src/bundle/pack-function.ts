// Turns what the user points `wasmlet deploy` at into bundle bytes: a .zip as is, or a folder zipped
// reproducibly (wasmlet.toml + the component it names), so redeploying an unchanged folder is a no-op.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { zipSync } from 'fflate';
import { parse as parseToml, TomlError } from 'smol-toml';
import { WasmletError } from '../errors/wasmlet-error.js';

export const manifestFileName = 'wasmlet.toml';

/** "PK\x03\x04" opens a zip with entries, "PK\x05\x06" an empty one (which the host rejects with a better message). */
const zipMagics = [[0x50, 0x4b, 0x03, 0x04], [0x50, 0x4b, 0x05, 0x06]] as const;
/** Default fflate level: the host hashes the zip as sent, so the level only has to stay the same, not be best. */
const compressionLevel = 6;

/**
 * The bundle for `path`: a `.zip` file's bytes, or a folder's `wasmlet.toml` and component zipped.
 * The same folder contents give the same bytes (fixed entry order and timestamps), hence the same digest.
 * @example const zip = await packFunction('examples/hello-rust'); // wasmlet.toml + hello-rust.wasm
 */
export async function packFunction(path: string): Promise<Uint8Array> {
  const info = await stat(path).catch((err: unknown) => {
    throw new WasmletError('bad_request', `${path} does not exist`, { path }, { cause: err });
  });
  if (info.isDirectory()) return packFolder(path);
  if (info.isFile() && path.toLowerCase().endsWith('.zip')) return readZip(path);
  throw new WasmletError('bad_request', `${path} is neither a folder with a ${manifestFileName} nor a .zip bundle`, { path });
}

async function readZip(path: string): Promise<Uint8Array> {
  const bytes = new Uint8Array(await readFile(path));
  if (!zipMagics.some((magic) => magic.every((byte, i) => bytes[i] === byte))) {
    throw new WasmletError('bundle_invalid', `${path} is not a zip archive`, { path });
  }
  return bytes;
}

async function packFolder(dir: string): Promise<Uint8Array> {
  const manifestPath = join(dir, manifestFileName);
  const manifestBytes = await readFile(manifestPath).catch((err: unknown) => {
    throw new WasmletError('manifest_missing', `${dir} has no ${manifestFileName}`, { path: manifestPath }, { cause: err });
  });
  const component = componentEntry(manifestPath, new TextDecoder().decode(manifestBytes));
  const componentPath = resolve(dir, component);
  const componentInfo = await stat(componentPath).catch(() => undefined);
  if (!componentInfo?.isFile()) {
    throw new WasmletError('component_missing', `${manifestPath} names component "${component}", but ${join(dir, component)} does not exist; build it first`, {
      path: componentPath,
    });
  }
  const componentBytes = new Uint8Array(await readFile(componentPath));
  // fflate writes the DOS timestamp from the date's *local* fields; a local date keeps the bytes the same in every time zone.
  const mtime = new Date(1980, 0, 1, 0, 0, 0);
  return zipSync({ [manifestFileName]: new Uint8Array(manifestBytes), [component]: componentBytes }, { level: compressionLevel, mtime });
}

/** The component's path inside the bundle, from the manifest's `component` key (the host checks the rest). */
function componentEntry(manifestPath: string, source: string): string {
  let manifest: Record<string, unknown>;
  try {
    manifest = parseToml(source);
  } catch (err) {
    const where = err instanceof TomlError ? ` (line ${err.line}, column ${err.column})` : '';
    const reason = (err as Error).message.split('\n')[0] ?? 'invalid TOML';
    throw new WasmletError('manifest_invalid', `${manifestPath}${where}: ${reason}`, { path: manifestPath }, { cause: err });
  }
  const component = manifest.component;
  if (typeof component !== 'string' || component === '') {
    throw new WasmletError('manifest_invalid', `${manifestPath}: "component" must name the component file, e.g. component = "hello.wasm"`, {
      path: manifestPath,
      key: 'component',
    });
  }
  // The entry name must be a plain relative path with forward slashes: the host rejects anything else as unsafe.
  const segments = component.split('/');
  if (isAbsolute(component) || component.includes('\\') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new WasmletError('manifest_invalid', `${manifestPath}: "component" must be a relative path inside the folder, got "${component}"`, {
      path: manifestPath,
      key: 'component',
    });
  }
  if (component === manifestFileName) {
    throw new WasmletError('manifest_invalid', `${manifestPath}: "component" cannot be ${manifestFileName} itself`, { path: manifestPath, key: 'component' });
  }
  return component;
}
