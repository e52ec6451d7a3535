// `wasmlet build`'s report: the human lines, and the --json value.
import { relative } from 'node:path';
import type { BuildSummary } from '../../build/build-function.js';
import { alignColumns } from './function-table.js';
import { shortDigest } from './function-lines.js';

/** `812 B`, `74.1 KiB`, `1.7 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** `0.4 s`, `12.0 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** A path relative to the working directory when it is below it, absolute otherwise. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || rel.startsWith('/') ? path : rel;
}

/**
 * The report of a finished build, several lines:
 *   built hello (rust, from [build] in wasmlet.toml) in 3.4 s with toolchains/rust/build.sh
 *     component  hello/hello.wasm  74.1 KiB
 *     bundle     hello/hello.zip   31.2 KiB  sha256:1a2b3c4d…
 *     imports    wasi:cli/environment@0.2.0, ... (all provided by the host)
 */
export function formatBuildSummary(summary: BuildSummary, cwd: string): string {
  const from = summary.languageFrom.kind === 'manifest' ? 'from [build] in wasmlet.toml' : `detected from ${summary.languageFrom.evidence.join(', ')}`;
  const by = summary.builder.kind === 'recipe' ? summary.builder.script : `[build] command`;
  const lines = [`built ${summary.name} (${summary.language}, ${from}) in ${formatDuration(summary.buildMs)} with ${by}`];
  const rows: string[][] = [
    ['', 'component', displayPath(summary.component.path, cwd), formatBytes(summary.component.bytes)],
    ['', 'bundle', displayPath(summary.bundle.path, cwd), `${formatBytes(summary.bundle.bytes)}  ${shortDigest(summary.bundle.digest)}`],
  ];
  lines.push(alignColumns(rows).trimEnd());
  const denied = summary.imports.filter((i) => !i.provided);
  if (summary.imports.length === 0) lines.push('  imports    none');
  else {
    const verdict = denied.length === 0 ? 'all provided by the host' : `${denied.length} NOT provided by the host`;
    lines.push(`  imports    ${summary.imports.length}, ${verdict}:`);
    for (const i of summary.imports) lines.push(`    ${i.provided ? '  ' : '✗ '}${i.name}${i.provided ? '' : '  (denied: deploy will refuse it)'}`);
  }
  for (const problem of summary.problems) lines.push(`warning: deploy would fail: ${problem.message} (${problem.code})`);
  if (summary.problems.length === 0) lines.push(`deploy it: wasmlet deploy ${displayPath(summary.bundle.path, cwd)}`);
  return `${lines.join('\n')}\n`;
}

/** The --json value: the summary as is, plus `deployable`. */
export function buildSummaryJson(summary: BuildSummary): Record<string, unknown> {
  return { ...summary, deployable: summary.problems.length === 0 };
}
