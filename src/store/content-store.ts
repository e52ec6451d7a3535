// Content-addressed blobs on local disk: <root>/sha256/<hex>. Writing the same bytes twice is a no-op.
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { sha256Hex } from './digest.js';

export class ContentStore {
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
  }

  pathOf(hex: string): string {
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`not a sha256 hex digest: ${hex}`);
    return join(this.#root, 'sha256', hex);
  }

  /** Stores `bytes` and returns their sha256 hex digest. */
  async put(bytes: Uint8Array): Promise<string> {
    const hex = sha256Hex(bytes);
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

  /** Reads a blob back and checks it still has the digest it is filed under (disk corruption, tampering). */
  async get(hex: string): Promise<Uint8Array> {
    const bytes = new Uint8Array(await readFile(this.pathOf(hex)));
    if (sha256Hex(bytes) !== hex) throw new Error(`content store blob ${hex} is corrupt`);
    return bytes;
  }
}
