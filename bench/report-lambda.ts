// Text table of scenario 12 (an invoke through Lambda's API against wasmlet's own /invoke), kept apart from report.ts, which calls it.
import type { LambdaBenchOptions, LambdaBenchResult } from './scenarios/lambda-invoke.js';
import { fixed, percent, textTable } from '../src/benchmark/text-table.js';

export type LambdaConfig = Omit<LambdaBenchOptions, 'workDir'>;

export function renderLambda(result: LambdaBenchResult, config: LambdaConfig): string[] {
  const [lambda, direct] = [result.rows[0]!.latencyMs, result.rows[1]!.latencyMs];
  return [
    `12. lambda: fx-echo, one call at a time (${config.calls} per side after ${config.warmup} warm-up, blocks of ${config.blockSize} alternating, ${config.workers} workers), a ${result.payloadBytes}-byte JSON payload;`,
    '   Lambda Invoke = POST /2015-03-31/functions/fx-echo/invocations signed with @smithy/signature-v4, verified by the host; /invoke = the same payload with the bearer token.',
    textTable(
      ['target', 'p50 ms', 'p90 ms', 'p99 ms', 'mean ms'],
      result.rows.map((row) => [row.target, fixed(row.latencyMs.p50, 3), fixed(row.latencyMs.p90, 3), fixed(row.latencyMs.p99, 3), fixed(row.latencyMs.mean, 3)]),
    ),
    `   Lambda / /invoke: p50 ${fixed(lambda.p50 / direct.p50, 2)}x (+${fixed((lambda.p50 - direct.p50) * 1000)} µs), mean ${fixed(lambda.mean / direct.mean, 2)}x;` +
      ` the client's signing (${fixed(result.clientSigningMicros.p50)} µs p50) is not in either latency. others' CPU: ${percent(result.cpu.others)}.` +
      (result.failures > 0 ? ` ${result.failures} call(s) failed, first: ${result.firstFailure}` : ''),
  ];
}

export function lambdaWarnings(result: LambdaBenchResult): string[] {
  return result.failures > 0 ? [`lambda: ${result.failures} call(s) failed (first: ${result.firstFailure}); its numbers are suspect`] : [];
}
