// What deserves suspicion in a `wasmlet bench <target>` run, in the host suite's words (noise-warnings.ts).
import type { ConfigurationResult } from './bench-result.js';
import { baselineDriftWarning, othersCpuWarning } from './noise-warnings.js';
import { percent } from './text-table.js';

/** The load generator above this share of the machine competes with the host for the same cores. */
const loadGeneratorLimit = 0.35;

export function findBenchWarnings(configs: readonly ConfigurationResult[], run: { readonly interrupted: boolean; readonly loadGeneratorCpuShare: number }): string[] {
  const warnings: string[] = [];
  if (run.interrupted) warnings.push('interrupted (Ctrl-C): the figures are what was measured until then');
  for (const config of configs) {
    for (const level of config.levels) {
      const at = `${config.label} at ${level.connections} connection${level.connections === 1 ? '' : 's'}`;
      const busy = othersCpuWarning(at, level.othersCpuShare);
      if (busy) warnings.push(busy);
      const failed = level.requests - (level.outcomes.ok ?? 0);
      if (failed > 0) {
        const kinds = Object.entries(level.outcomes).filter(([o]) => o !== 'ok').map(([o, n]) => `${n} ${o}`).join(', ');
        warnings.push(`${at}: ${failed} of ${level.requests} calls failed (${kinds})${level.transportErrors[0] ? `; first transport error: ${level.transportErrors[0]}` : ''}`);
      }
      if (config.baseline && configs.length > 1 && level.blocks.length > 1) {
        const moved = baselineDriftWarning(`the baseline (${at})`, level.blocks[0]!.rps, level.blocks.at(-1)!.rps, 'differences smaller than that are noise');
        if (moved) warnings.push(moved);
      }
    }
    if (config.cold && config.cold.outcome !== 'ok') warnings.push(`${config.label}: the first call failed (${config.cold.status} ${config.cold.outcome})`);
  }
  if (run.loadGeneratorCpuShare > loadGeneratorLimit) {
    warnings.push(`the load generator used ${percent(run.loadGeneratorCpuShare)} of the CPUs: it competes with the host for the same cores, so throughput is a lower bound`);
  }
  return warnings;
}
