// Scenario "nats-deploy" as run.ts runs it (deploy-to-served-everywhere with 2 hosts on JetStream,
// against one host on its data directory): its full and --quick settings, its table on stdout and its
// own JSON file (nats-deploy-<timestamp>.json beside the run's results). Without nats-server it is
// reported "not run".
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { progress } from './progress.js';
import { NatsServerMissing } from './scenarios/nats-queues.js';
import { measureNatsDeploy, renderNatsDeploy, type NatsDeployBenchOptions, type NatsDeployBenchResult } from './scenarios/nats-deploy.js';

export interface NatsDeployRun {
  readonly quick: boolean;
  /** `--json`: the run's stdout is one JSON document, so the table is not printed (the file is still written). */
  readonly json: boolean;
  readonly outDir: string;
  readonly machine: unknown;
}

/** 20 versions, 9 rollbacks and 3 new components per setup: about a minute on 2 cores, most of it compiling. */
const fullConfig: NatsDeployBenchOptions = { versions: 20, components: 3, boundMs: 120_000 };
const quickConfig: NatsDeployBenchOptions = { versions: 5, components: 1, boundMs: 120_000 };

export async function runNatsDeploy(run: NatsDeployRun, problems: { scenario: string; message: string }[]): Promise<NatsDeployBenchResult | undefined> {
  const config = run.quick ? quickConfig : fullConfig;
  const startedAt = new Date();
  const started = performance.now();
  let result: NatsDeployBenchResult;
  try {
    result = await measureNatsDeploy(config, progress);
  } catch (err) {
    const message = err instanceof NatsServerMissing ? `not run: ${err.message}` : (err as Error).message;
    problems.push({ scenario: 'nats-deploy', message });
    progress(`nats-deploy: ${message}`);
    return undefined;
  }
  if (!run.json) process.stdout.write(`${renderNatsDeploy(result).join('\n')}\n\n`);
  const file = join(run.outDir, `nats-deploy-${startedAt.toISOString().replace(/:/g, '-')}.json`);
  const document = { schemaVersion: 1, scenario: 'nats-deploy', startedAt: startedAt.toISOString(), durationSeconds: (performance.now() - started) / 1000, machine: run.machine, run: { quick: run.quick }, config, result };
  await mkdir(run.outDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
  progress(`nats-deploy: results written to ${file}`);
  return result;
}
