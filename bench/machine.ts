// Where the numbers came from: runtime, OS, CPUs and the commit, recorded with every result.
import { execFile } from 'node:child_process';
import { arch, cpus, loadavg, release, totalmem, type } from 'node:os';
import { promisify } from 'node:util';
import { startCpuWatch } from '../src/benchmark/cpu-watch.js';
import { repoRoot } from './examples.js';

export interface Machine {
  readonly node: string;
  readonly v8: string;
  readonly os: string;
  readonly cpuCount: number;
  readonly cpuModel: string;
  readonly totalMemoryGiB: number;
  /** 1-minute load average when the run started (it also remembers the previous minute's runs). */
  readonly loadAverageAtStart: number;
  /** Share of all cores' time used by other processes in the second before the run started (0..1). */
  readonly othersCpuBeforeStart: number;
  readonly gitCommit: string | undefined;
  /** Uncommitted changes in the work tree (the commit alone does not describe the code measured). */
  readonly gitDirty: boolean | undefined;
}

const run = promisify(execFile);
/** Long enough to catch a compiler or test run next door, short next to the run itself. */
const othersSampleMs = 1000;

export async function describeMachine(): Promise<Machine> {
  const cores = cpus();
  const git = async (...args: string[]) => (await run('git', args, { cwd: repoRoot })).stdout.trim();
  const gitCommit = await git('rev-parse', 'HEAD').catch(() => undefined);
  const gitDirty = gitCommit === undefined ? undefined : await git('status', '--porcelain').then((out) => out.length > 0, () => undefined);
  return {
    node: process.version,
    v8: process.versions.v8,
    os: `${type()} ${release()} ${arch()}`,
    cpuCount: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    totalMemoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: loadavg()[0] ?? NaN,
    othersCpuBeforeStart: await othersCpuOver(othersSampleMs),
    gitCommit,
    gitDirty,
  };
}

async function othersCpuOver(ms: number): Promise<number> {
  const watch = startCpuWatch();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return watch.stop().others;
}
