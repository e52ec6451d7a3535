// One host per data directory: the embedded queue treats every lease it finds at startup as
// orphaned (see QueueStore.releaseAllLeases), which is only true if no other host is using it.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WasmletError } from '../errors/wasmlet-error.js';

const lockFileName = 'host.pid';

/**
 * Claims `dataDir` for this process: refuses when the pid in its lock file is alive and not us.
 * A lock left by a killed host (SIGKILL, power loss) names a dead pid and is taken over.
 * @returns a function that releases the claim
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, lockFileName);
  const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
    throw new WasmletError('bad_request', `data directory ${dataDir} is in use by another wasmlet host (pid ${holder}); give each host its own --data-dir`, { pid: holder });
  }
  await writeFile(path, `${process.pid}\n`);
  return async () => {
    const current = await readFile(path, 'utf8').catch(() => '');
    if (Number.parseInt(current, 10) === process.pid) await rm(path, { force: true });
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
