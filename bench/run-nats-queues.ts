// Scenario "nats" as run.ts runs it (queue stores: SQLite against JetStream R1 and R3): its full and
// --quick settings, its table on stdout and its own JSON file (nats-queues-<timestamp>.json beside the
// run's results). Without nats-server it is reported "not run", like the workerd baseline.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { progress } from './progress.js';
import { measureNatsQueues, NatsServerMissing, renderNatsQueues, type NatsQueueBenchOptions, type NatsQueueBenchResult } from './scenarios/nats-queues.js';

export interface NatsQueuesRun {
  readonly quick: boolean;
  /** `--json`: the run's stdout is one JSON document, so the table is not printed (the file is still written). */
  readonly json: boolean;
  readonly outDir: string;
  readonly machine: unknown;
}

/** 5,000 messages and 300 single sends per backend: ~30 s for the four on 2 cores (R1's fsync-bound sends dominate). */
const fullConfig: NatsQueueBenchOptions = { messages: 5000, latencySamples: 300, batch: 100, bodyBytes: 200 };
const quickConfig: NatsQueueBenchOptions = { messages: 500, latencySamples: 50, batch: 100, bodyBytes: 200 };

export async function runNatsQueues(run: NatsQueuesRun, problems: { scenario: string; message: string }[]): Promise<NatsQueueBenchResult | undefined> {
  const config = run.quick ? quickConfig : fullConfig;
  const startedAt = new Date();
  const started = performance.now();
  let result: NatsQueueBenchResult;
  try {
    result = await measureNatsQueues(config, progress);
  } catch (err) {
    const message = err instanceof NatsServerMissing ? `not run: ${err.message}` : (err as Error).message;
    problems.push({ scenario: 'nats queues', message });
    progress(`nats: ${message}`);
    return undefined;
  }
  if (!run.json) process.stdout.write(`${renderNatsQueues(result, config).join('\n')}\n\n`);
  const file = join(run.outDir, `nats-queues-${startedAt.toISOString().replace(/:/g, '-')}.json`);
  const document = { schemaVersion: 1, scenario: 'nats', startedAt: startedAt.toISOString(), durationSeconds: (performance.now() - started) / 1000, machine: run.machine, run: { quick: run.quick }, config, result };
  await mkdir(run.outDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
  progress(`nats: results written to ${file}`);
  return result;
}
