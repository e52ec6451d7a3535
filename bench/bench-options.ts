// The bench's command line (`wasmlet bench` passes its options through): which scenarios, how long, where to write.
// Parsed once into a frozen value; an unknown scenario or option is an error naming it.
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from './examples.js';

/**
 * Every scenario `--only` can name, in run order. `cold` = deploy -> first response (scenario 1),
 * `fresh-instance` = instantiate + call (2), `http` = throughput at each concurrency (3),
 * `queue` = durable queue (4), `density` = many small functions on one host (5), `outbound` = one
 * outbound request from a guest against undici (6), `waiting` = calls waiting on a slow upstream (7),
 * `kv` = a key-value get/set from a guest against the same SQLite calls made directly (8),
 * `objects` = PutObject/GetObject through the S3 endpoint against the same bytes with fs (9),
 * `thumbnail` = upload -> thumbnail latency of examples/thumbnail-on-upload (11),
 * `lambda` = an invoke through Lambda's API against the same through /v1/functions/{name}/invoke (12).
 * `nats` = the queue stores: embedded SQLite against NATS JetStream R1 and R3 (not run without nats-server).
 * `nats-deploy` = a deploy, rollback or delete on one host until both of 2 hosts on JetStream serve it, against one host alone.
 * A new scenario adds its name here and checks `selected(name)` in run.ts.
 */
export const scenarioNames = ['cold', 'fresh-instance', 'warm', 'http', 'queue', 'outbound', 'waiting', 'kv', 'objects', 'thumbnail', 'lambda', 'nats', 'nats-deploy', 'neighbours', 'observability', 'density'] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export interface BenchOptions {
  /** Scenarios to run; all of them unless --only. */
  readonly only: ReadonlySet<ScenarioName>;
  /** Smaller iteration counts and durations: a fast look, not numbers to quote. */
  readonly quick: boolean;
  /** Where the JSON and SVG go. */
  readonly outDir: string;
  /**
   * Whether to also write latest.json / latest.svg. Only a complete, full-length run does by default,
   * so a quick or partial look never replaces the reference numbers.
   */
  readonly writeLatest: boolean;
  /** The results JSON on stdout instead of the tables (`wasmlet --json bench`). */
  readonly json: boolean;
  /** The run the goals table's "before" column reads (--previous; default bench/results/latest.json, the reference full run). */
  readonly previous: string;
}

export const defaultResultsDir = join(repoRoot, 'bench', 'results');
/** Quick or --only runs go here unless --out says otherwise: bench/results/latest.* stay full runs. */
export const partialResultsDir = join(defaultResultsDir, 'partial');

export const benchUsage = `usage: node dist/bench/run.js [--only <${scenarioNames.join(',')}>] [--quick] [--out <dir>] [--previous <results.json>] [--json]`;

export class BenchUsageError extends Error {}

/** `cwd` resolves a relative --out (the directory the user typed it in). */
export function parseBenchOptions(argv: readonly string[], cwd = process.cwd()): BenchOptions {
  let values: { only?: string | undefined; quick?: boolean | undefined; out?: string | undefined; previous?: string | undefined; json?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { only: { type: 'string' }, quick: { type: 'boolean' }, out: { type: 'string' }, previous: { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new BenchUsageError(`${(err as Error).message}\n${benchUsage}`);
  }
  const only = values.only === undefined ? new Set(scenarioNames) : parseOnly(values.only);
  const quick = values.quick === true;
  const complete = only.size === scenarioNames.length && !quick;
  if (values.out !== undefined && values.out.trim() === '') throw new BenchUsageError(`--out: give a directory\n${benchUsage}`);
  const outDir = values.out !== undefined ? (isAbsolute(values.out) ? values.out : resolve(cwd, values.out)) : complete ? defaultResultsDir : partialResultsDir;
  // latest.* in an --out directory of the user's choosing is theirs; in bench/results/ it is a full run's.
  const writeLatest = complete || (values.out !== undefined && outDir !== defaultResultsDir);
  const previous = values.previous !== undefined ? resolve(cwd, values.previous) : join(defaultResultsDir, 'latest.json');
  return Object.freeze({ only, quick, outDir, writeLatest, json: values.json === true, previous });
}

function parseOnly(list: string): Set<ScenarioName> {
  const names = list.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) throw new BenchUsageError(`--only: name at least one of ${scenarioNames.join(', ')}`);
  const only = new Set<ScenarioName>();
  for (const name of names) {
    if (!(scenarioNames as readonly string[]).includes(name)) {
      throw new BenchUsageError(`--only: unknown scenario "${name}"; known: ${scenarioNames.join(', ')}`);
    }
    only.add(name as ScenarioName);
  }
  return only;
}
