// Scenario 10 (noisy neighbours) as run.ts runs it: its full and --quick settings, the run, its table
// on stdout and its own JSON file (neighbours-<timestamp>.json beside the run's results).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Machine } from './machine.js';
import { progress } from './progress.js';
import { neighbourWarnings, renderNeighbours, type NeighboursConfig } from './report-neighbours.js';
import { measureNeighbours, type NeighboursBenchResult } from './scenarios/neighbours.js';

export interface NeighboursRun {
  readonly quick: boolean;
  /** `--json`: the run's stdout is one JSON document, so the table is not printed (the file is still written). */
  readonly json: boolean;
  readonly outDir: string;
  readonly workDir: string;
  /** Compute slots of the host. */
  readonly workers: number;
  readonly machine: Machine;
}

/**
 * 6 attackers × (2 s warm-up + 8 s alone + 15 s beside) + a host start each and the deploys ≈ 3 min.
 * 15 s beside covers the breaker's 5 s cool-down more than twice and a 4.9 s guest three times.
 */
const fullConfig: NeighboursConfig = { healthyClients: 8, warmupSeconds: 2, baselineSeconds: 8, attackSeconds: 15 };
/** `--quick`: about 70 s, too short for the numbers to quote (one breaker cycle per attack). */
const quickConfig: NeighboursConfig = { healthyClients: 8, warmupSeconds: 0.5, baselineSeconds: 3, attackSeconds: 5 };

export async function runNeighbours(run: NeighboursRun, problems: { scenario: string; message: string }[]): Promise<NeighboursBenchResult | undefined> {
  const config = run.quick ? quickConfig : fullConfig;
  const startedAt = new Date();
  const started = performance.now();
  let result: NeighboursBenchResult;
  try {
    result = await measureNeighbours({ ...config, workers: run.workers, workDir: run.workDir });
  } catch (err) {
    problems.push({ scenario: 'neighbours', message: (err as Error).message });
    return undefined;
  }
  const warnings = neighbourWarnings(result);
  if (!run.json) process.stdout.write(`${[...renderNeighbours(result, config), ...warnings.map((warning) => `   warning: ${warning}`)].join('\n')}\n\n`);
  const file = join(run.outDir, `neighbours-${startedAt.toISOString().replace(/:/g, '-')}.json`);
  const document = { schemaVersion: 1, scenario: 'neighbours', startedAt: startedAt.toISOString(), durationSeconds: (performance.now() - started) / 1000, machine: run.machine, run: { quick: run.quick }, config, result, warnings };
  await mkdir(run.outDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
  progress(`neighbours: results written to ${file}`);
  return result;
}
