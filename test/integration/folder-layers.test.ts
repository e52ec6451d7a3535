// ARCHITECTURE.md's claim about layering, checked on the sources: every import between folders of
// src/ points down the documented order (a folder may import its own layer or a lower one), and the
// folders form no cycle. A new folder must be placed here and in ARCHITECTURE.md's diagram.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/paths.js';

/** ARCHITECTURE.md's "Layers" diagram, lowest first; folders on one line share a layer. */
const layers: readonly (readonly string[])[] = [
  ['errors'],
  ['tracing'],
  ['embedded'],
  ['queue', 'kv', 'objects'],
  ['s3'],
  ['secrets'],
  ['capabilities'],
  ['manifest'],
  ['bundle'],
  ['store'],
  ['wasm'],
  ['runtime'],
  ['compile', 'component', 'build'],
  ['registry', 'logs', 'async', 'schedules'],
  ['nats'],
  ['invoke'],
  ['triggers/queue', 'triggers/schedule', 'triggers/async', 'triggers/object-events', 'triggers/http'],
  ['triggers'],
  ['deploy'],
  ['gc'],
  ['observe'],
  ['api'],
  ['host'],
  ['cli', 'client', 'benchmark'],
];

const srcDir = join(repoRoot, 'src');
const importPattern = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.case.ts') ? [path] : [];
  });
}

/** `triggers/http` for src/triggers/http/x.ts, `triggers` for src/triggers/trigger-manager.ts, else the top folder. */
function folderOf(path: string): string {
  const parts = relative(srcDir, path).split(sep);
  if (parts[0] === 'triggers' && parts.length > 2) return `triggers/${parts[1]}`;
  return parts[0]!;
}

function folderEdges(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of sourceFiles(srcDir)) {
    const from = folderOf(file);
    for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const target = normalize(join(dirname(file), match[1] ?? match[2]!));
      if (!target.startsWith(srcDir + sep)) continue;
      const to = folderOf(target);
      if (to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  return edges;
}

test('every folder of src/ is placed in the documented layers', () => {
  const placed = new Set(layers.flat());
  const folders = new Set(sourceFiles(srcDir).map(folderOf));
  assert.deepEqual([...folders].filter((folder) => !placed.has(folder)).sort(), []);
});

test('imports between folders point down the layers, never up', () => {
  const rank = new Map(layers.flatMap((folders, index) => folders.map((folder) => [folder, index] as const)));
  const upward: string[] = [];
  for (const [from, targets] of folderEdges()) {
    for (const to of targets) if ((rank.get(to) ?? -1) > (rank.get(from) ?? Infinity)) upward.push(`${from} → ${to}`);
  }
  assert.deepEqual(upward.sort(), []);
});

test('the folders form no cycle (one layer included)', () => {
  const edges = folderEdges();
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (folder: string, path: string[]): void => {
    if (state.get(folder) === 'done') return;
    if (state.get(folder) === 'visiting') {
      cycles.push([...path.slice(path.indexOf(folder)), folder].join(' → '));
      return;
    }
    state.set(folder, 'visiting');
    for (const next of edges.get(folder) ?? []) visit(next, [...path, folder]);
    state.set(folder, 'done');
  };
  for (const folder of edges.keys()) visit(folder, []);
  assert.deepEqual(cycles, []);
});
