// The example functions the bench runs: each folder under examples/ with a wasmlet.toml whose
// component file has been built. A missing component is reported as skipped, not as a failure.
import { access, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';

export interface Example {
  readonly name: string;
  readonly dir: string;
  readonly componentFile: string;
  readonly componentPath: string;
  /** First HTTP route of the manifest, e.g. `/hello/c`. */
  readonly route: string;
  /** `limits.memory_mb` when the manifest sets it. */
  readonly memoryMb: number | undefined;
  /** `[runtime] init_snapshot`: the host starts its instances from a snapshot taken after init. */
  readonly initSnapshot: boolean;
}

export interface ExampleScan {
  readonly ready: readonly Example[];
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/** bench/ compiles to dist/bench/, so the repository root is two levels up. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const examplesDir = join(repoRoot, 'examples');

export async function scanExamples(): Promise<ExampleScan> {
  const ready: Example[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const folder of (await readdir(examplesDir)).sort()) {
    const dir = join(examplesDir, folder);
    const manifestSource = await readFile(join(dir, 'wasmlet.toml'), 'utf8').catch(() => undefined);
    if (manifestSource === undefined) continue;
    const manifest = parse(manifestSource) as {
      name?: string;
      component?: string;
      http?: { route?: string }[];
      limits?: { memory_mb?: number };
      runtime?: { init_snapshot?: boolean };
    };
    const name = manifest.name ?? folder;
    const route = manifest.http?.[0]?.route;
    if (!manifest.component || !route) {
      skipped.push({ name, reason: 'manifest names no component or no HTTP route' });
      continue;
    }
    const componentPath = join(dir, manifest.component);
    if (!(await access(componentPath).then(() => true, () => false))) {
      skipped.push({ name, reason: `${manifest.component} is not built` });
      continue;
    }
    ready.push({ name, dir, componentFile: manifest.component, componentPath, route, memoryMb: manifest.limits?.memory_mb, initSnapshot: manifest.runtime?.init_snapshot === true });
  }
  return { ready, skipped };
}
