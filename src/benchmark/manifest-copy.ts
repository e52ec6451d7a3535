// A bench copy of a function: its manifest rewritten under a temporary name (and, per configuration,
// one setting changed), zipped with the same component. A copy's HTTP routes can be "parked" under a
// prefix of its own, so several copies of one function can be deployed at once without taking each
// other's routes; queue triggers get queues of their own, so copies never steal each other's messages.
import { zipSync } from 'fflate';
import { parse, stringify } from 'smol-toml';
import type { Bundle } from '../bundle/read-bundle.js';
import { manifestFileName } from '../bundle/pack-function.js';
import { settingTable, type SettingValue, type VaryKey } from './bench-settings.js';

/** Routes of a parked copy live under `/_wasmlet-bench/<copy name>`: a path no function is expected to use. */
export const parkedRoutePrefix = '/_wasmlet-bench';

export interface CopyOptions {
  readonly name: string;
  /** Routes under the parked prefix (true) or as the function declares them (false). */
  readonly parked: boolean;
  readonly setting?: { readonly key: VaryKey; readonly value: SettingValue } | undefined;
}

/** The queue a copy's [[queue]] trigger consumes instead of `queue` (and its dead-letter queue). */
export function copyQueueName(copyName: string, queue: string): string {
  return `${copyName}.${queue}`.slice(0, 128);
}

export function copyDeadLetterName(copyName: string): string {
  return `${copyName}.dlq`;
}

type Table = Record<string, unknown>;

/** The manifest text of a copy (comments are not kept: the copy lives for one bench run). */
/** @example copyManifest(source, { name: 'hello-bench-1a2b-0', parked: true, setting: { key: 'init_snapshot', value: true } }) */
export function copyManifest(source: string, options: CopyOptions): string {
  const toml = parse(source) as Table;
  toml.name = options.name;
  if (Array.isArray(toml.http)) {
    toml.http = (toml.http as Table[]).map((trigger) => (options.parked ? { ...trigger, route: `${parkedRoutePrefix}/${options.name}${String(trigger.route)}` } : trigger));
  }
  if (Array.isArray(toml.queue)) {
    toml.queue = (toml.queue as Table[]).map((trigger) => ({ ...trigger, queue: copyQueueName(options.name, String(trigger.queue)), dead_letter: copyDeadLetterName(options.name) }));
  }
  // A schedule would fire the copy on its own ticks in the middle of the measurement.
  delete toml.schedule;
  if (options.setting) {
    const tableName = settingTable[options.setting.key];
    const table = (toml[tableName] ?? {}) as Table;
    toml[tableName] = { ...table, [options.setting.key]: options.setting.value };
  }
  return stringify(toml);
}

/** The bundle of a copy: its manifest and the original's component, under the original's component path. */
export function copyBundle(original: Bundle, options: CopyOptions): Uint8Array {
  const manifest = new TextEncoder().encode(copyManifest(original.manifestSource, options));
  const mtime = new Date(1980, 0, 1, 0, 0, 0);
  return zipSync({ [manifestFileName]: manifest, [original.manifest.component]: original.component }, { mtime });
}


