// A function folder dropped or chosen in the browser becomes the bundle `wasmlet deploy <folder>` would
// send: wasmlet.toml and the component it names, zipped with the same entry order, timestamp and level
// as src/bundle/pack-function.ts, so the same folder gives the same digest (and an unchanged redeploy).
import { zipSync } from 'fflate';
import { parse as parseToml } from 'smol-toml';

const manifestFileName = 'wasmlet.toml';
/** pack-function.ts's level and DOS timestamp (a local date, as fflate writes local fields). */
const compressionLevel = 6;
const fixedTime = () => new Date(1980, 0, 1, 0, 0, 0);

/** Reads one file of the folder by its path relative to the folder; undefined when it is not there. */
export type FolderFileReader = (relativePath: string) => Promise<Uint8Array | undefined>;

/** @throws Error naming what is missing or wrong, in the CLI's words */
export async function packFolder(folderName: string, read: FolderFileReader): Promise<File> {
  const manifest = await read(manifestFileName);
  if (!manifest) throw new Error(`${folderName} has no ${manifestFileName} at its top`);
  const component = componentEntry(folderName, new TextDecoder().decode(manifest));
  const componentBytes = await read(component);
  if (!componentBytes) throw new Error(`${folderName}/${manifestFileName} names component "${component}", but the folder has no such file; build it first (wasmlet build)`);
  const zip = zipSync({ [manifestFileName]: manifest, [component]: componentBytes }, { level: compressionLevel, mtime: fixedTime() });
  return new File([zip as Uint8Array<ArrayBuffer>], `${folderName}.zip`, { type: 'application/zip' });
}

function componentEntry(folderName: string, source: string): string {
  let component: unknown;
  try {
    component = parseToml(source).component;
  } catch (err) {
    throw new Error(`${folderName}/${manifestFileName}: ${(err as Error).message.split('\n')[0]}`);
  }
  const segments = typeof component === 'string' ? component.split('/') : [];
  if (typeof component !== 'string' || component.startsWith('/') || component.includes('\\') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`${folderName}/${manifestFileName}: "component" must name the component file inside the folder, e.g. component = "hello.wasm"`);
  }
  return component;
}

/** The files of an `<input webkitdirectory>` choice: every path starts with the folder's own name. */
export function readerOfFileList(files: readonly File[]): { readonly folderName: string; readonly read: FolderFileReader } {
  const folderName = (files[0]?.webkitRelativePath ?? '').split('/')[0] ?? 'function';
  const byPath = new Map(files.map((file) => [file.webkitRelativePath.slice(folderName.length + 1), file]));
  return { folderName, read: async (path) => bytesOf(byPath.get(path)) };
}

/** A dropped folder (the File and Directory Entries API): files are looked up by path, nothing else is read. */
export function readerOfDirectoryEntry(directory: FileSystemDirectoryEntry): FolderFileReader {
  return (path) =>
    new Promise((resolve) => {
      directory.getFile(
        path,
        {},
        (entry) => (entry as FileSystemFileEntry).file((file) => void bytesOf(file).then(resolve), () => resolve(undefined)),
        () => resolve(undefined),
      );
    });
}

async function bytesOf(file: File | undefined): Promise<Uint8Array | undefined> {
  return file ? new Uint8Array(await file.arrayBuffer()) : undefined;
}
