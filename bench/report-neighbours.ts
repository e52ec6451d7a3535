// Text table of scenario 10 (noisy neighbours): healthy traffic alone and beside each attacker, in
// run order, with the attacker's own outcomes and whether each condition meets the goal.
import { countOf, type StatusCounts } from './load/status-tally.js';
import { minRpsRatio, type BlockResult, type NeighboursBenchOptions, type NeighboursBenchResult } from './scenarios/neighbours.js';
import { fixed, percent, textTable, times } from '../src/benchmark/text-table.js';

export type NeighboursConfig = Omit<NeighboursBenchOptions, 'workers' | 'workDir'>;

/** Statuses with a column of their own; the rest (and client errors) go under "other". */
const ownColumns = ['502', '503', '504'] as const;

export function renderNeighbours(result: NeighboursBenchResult, config: NeighboursConfig): string[] {
  const rows: string[][] = [];
  for (const condition of result.conditions) {
    rows.push(row('  alone', condition.baseline, undefined));
    rows.push(row(condition.label, condition.beside, { rps: condition.rpsRatio, p99: condition.p99Ratio, meets: condition.meetsGoal }));
  }
  const met = result.conditions.filter((condition) => condition.meetsGoal).length;
  const lines = [
    `10. noisy neighbours: host with ${result.workers} compute slots; healthy = fx-echo from ${result.healthyClients} clients (a peer process), attacker from another peer process`,
    `   per attacker a fresh host: ${config.warmupSeconds} s warm-up, ${config.baselineSeconds} s alone, then ${config.attackSeconds} s beside the attacker (measured from its start); × alone = against the block just before.`,
    '   healthy p50/p99 over 2xx answers; success = 2xx / calls ended (non-2xx and client errors fail). Attacker columns: its answers by status,',
    '   503 as total (with Retry-After: the breaker), other = any other status or a client error, cut = in flight when the block ended.',
    textTable(
      ['condition', 'rps', '× alone', 'p50 ms', 'p99 ms', 'p99 × alone', 'success', 'goal', 'att 2xx', '502', '503 (RA)', '504', 'other', 'cut', 'replaced', "others' CPU"],
      rows,
    ),
    spreadOfAlone(result),
    `   goal (issue 12): healthy success 100% and rps at least ${minRpsRatio * 100}% of alone beside every attacker: met beside ${met} of ${result.conditions.length}.`,
  ];
  for (const condition of result.conditions) {
    const { beside } = condition;
    const notes: string[] = [];
    if (beside.attacker?.async) {
      const { submitted, statesAtEnd } = beside.attacker.async;
      notes.push(`submitted ${entries(submitted)}; at the block's end ${entries(statesAtEnd)}`);
    }
    if (beside.replacementCount > 0) notes.push(`replaced: ${entries(beside.replacements)}`);
    if (beside.healthy.tally.firstFailure) notes.push(`first healthy failure: ${oneLine(beside.healthy.tally.firstFailure)}`);
    if (beside.attacker?.tally?.firstFailure) notes.push(`attacker's first failure: ${oneLine(beside.attacker.tally.firstFailure)}`);
    if (notes.length > 0) lines.push(`   ${condition.label}: ${notes.join('; ')}`);
  }
  return lines;
}

/** Warnings for the run's summary: a condition that misses the goal, noise during a block. */
export function neighbourWarnings(result: NeighboursBenchResult): string[] {
  const warnings: string[] = [];
  for (const condition of result.conditions) {
    if (!condition.meetsGoal) {
      warnings.push(`neighbours: beside ${condition.label}, healthy ${times(condition.rpsRatio)} of alone rps, success ${successText(condition.beside.healthy.successRate)} (goal: ≥ ${minRpsRatio}× and 100%)`);
    }
    for (const [name, block] of [['alone', condition.baseline], ['beside', condition.beside]] as const) {
      if (block.othersCpu > 0.1) warnings.push(`neighbours: others used ${percent(block.othersCpu)} of the CPUs during ${condition.label} (${name}): its rps and p99 are suspect`);
    }
  }
  return warnings;
}

/** The alone blocks side by side: how far the baseline itself moved during the run (the machine's noise). */
function spreadOfAlone(result: NeighboursBenchResult): string {
  const alone = result.conditions.map((condition) => condition.baseline);
  const range = (values: number[], decimals: number) => `${fixed(Math.min(...values), decimals)}–${fixed(Math.max(...values), decimals)}`;
  const rps = alone.map((block) => block.healthy.rps);
  const mean = rps.reduce((sum, value) => sum + value, 0) / rps.length;
  return `   alone across the run (${alone.length} blocks): rps ${range(rps, 0)} (mean ${fixed(mean)}), p99 ${range(alone.map((block) => block.healthy.latencyMs.p99), 1)} ms,` +
    ` others' CPU ${range(alone.map((block) => block.othersCpu * 100), 0)}%: their spread is the machine's noise, no attacker's doing.`;
}

function row(label: string, block: BlockResult, against: { rps: number; p99: number; meets: boolean } | undefined): string[] {
  const { healthy } = block;
  return [
    label,
    fixed(healthy.rps),
    against ? times(against.rps) : '',
    fixed(healthy.latencyMs.p50, 1),
    fixed(healthy.latencyMs.p99, 1),
    against ? times(against.p99) : '',
    successText(healthy.successRate),
    against ? (against.meets ? 'met' : 'MISSED') : '',
    ...attackerCells(block),
    String(block.replacementCount),
    percent(block.othersCpu),
  ];
}

function attackerCells(block: BlockResult): string[] {
  const attacker = block.attacker;
  if (!attacker) return ['', '', '', '', '', ''];
  const tally = attacker.tally;
  if (!tally) {
    const done = attacker.async?.statesAtEnd['succeeded'] ?? 0;
    return [`${done} done`, '–', '–', '–', '–', '–'];
  }
  return [
    String(countOf(tally, '2xx')),
    String(countOf(tally, '502')),
    `${countOf(tally, '503')} (${tally.retryAfter503})`,
    String(countOf(tally, '504')),
    String(otherCount(tally)),
    String(tally.cutAtStop),
  ];
}

function otherCount(tally: StatusCounts): number {
  let other = tally.clientErrors;
  for (const [status, count] of Object.entries(tally.statuses)) {
    if (!status.startsWith('2') && !(ownColumns as readonly string[]).includes(status)) other += count;
  }
  return other;
}

function successText(rate: number): string {
  if (Number.isNaN(rate)) return '–';
  return rate === 1 ? '100%' : `${(rate * 100).toFixed(2)}%`;
}

function entries(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts).map(([key, count]) => `${key} ×${count}`).join(', ') || 'none';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
