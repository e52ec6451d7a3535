// Write-then-rename, so a reader (or a host restarted mid-write) sees the old file or the new one, never half.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Ends the name of a file being written; one left behind by a crash is garbage (gc/). */
export const temporarySuffix = '.tmp';

export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString('hex')}${temporarySuffix}`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync(); // durable before it becomes visible
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (err) {
    // A full disk or a failed rename: the half-written file is nobody's.
    await rm(temporary, { force: true });
    throw err;
  }
}
