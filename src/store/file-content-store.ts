// The embedded content store: blobs on local disk, <root>/sha256/<hex> (the ContentStore port,
// content-store.ts). Writing the same bytes twice is a no-op.
import { access, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { temporarySuffix, writeFileAtomic } from './atomic-write.js';
import type { ContentStore } from './content-store.js';
import { sha256Hex } from './digest.js';
import type { StoredEntry } from './stored-entry.js';

const digestName = /^[0-9a-f]{64}$/;

export class FileContentStore implements ContentStore {
  readonly #root: string;
  /** Digests put since `takeWritten` was last called: what a failed deploy may have left unreferenced. */
  #written = new Set<string>();

  constructor(root: string) {
    this.#root = root;
  }

  pathOf(hex: string): string {
    if (!digestName.test(hex)) throw new Error(`not a sha256 hex digest: ${hex}`);
    return join(this.#root, 'sha256', hex);
  }

  /** Stores `bytes` and returns their sha256 hex digest. */
  async put(bytes: Uint8Array): Promise<string> {
    const hex = sha256Hex(bytes);
    this.#written.add(hex);
    if (!(await this.has(hex))) await writeFileAtomic(this.pathOf(hex), bytes);
    return hex;
  }

  async has(hex: string): Promise<boolean> {
    try {
      await access(this.pathOf(hex));
      return true;
    } catch {
      return false;
    }
  }

  async sizeOf(hex: string): Promise<number> {
    return (await stat(this.pathOf(hex))).size;
  }

  /** Reads a blob back and checks it still has the digest it is filed under (disk corruption, tampering). */
  async get(hex: string): Promise<Uint8Array> {
    const bytes = new Uint8Array(await readFile(this.pathOf(hex)));
    if (sha256Hex(bytes) !== hex) throw new Error(`content store blob ${hex} is corrupt`);
    return bytes;
  }

  /** The digests put since the last call (and forgets them). */
  takeWritten(): string[] {
    const written = [...this.#written];
    this.#written = new Set();
    return written;
  }

  /** The blob of `hex`, if there is one. */
  async entriesOf(hex: string): Promise<StoredEntry[]> {
    return (await this.has(hex)) ? [{ kind: 'blob', path: this.pathOf(hex), digest: hex }] : [];
  }

  /** Every blob, and every temporary file a write left behind (a crash, a full disk); other names are left alone. */
  async inventory(): Promise<StoredEntry[]> {
    const dir = join(this.#root, 'sha256');
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const entries: StoredEntry[] = [];
    for (const name of names) {
      if (digestName.test(name)) entries.push({ kind: 'blob', path: join(dir, name), digest: name });
      else if (name.endsWith(temporarySuffix)) entries.push({ kind: 'temporary', path: join(dir, name) });
    }
    return entries;
  }
}
