// The manifest settings `wasmlet bench --vary` may change, how each is written, and what it costs
// beyond speed (the recommendation says it next to the numbers).
import { WasmletError } from '../errors/wasmlet-error.js';

export const varyKeys = ['memory_mb', 'instance_reuse', 'init_snapshot'] as const;
export type VaryKey = (typeof varyKeys)[number];
export type SettingValue = number | boolean;

/** `--vary memory_mb=64,128,256`: one configuration per value, in the order given (the first is the baseline). */
export interface Vary {
  readonly key: VaryKey;
  readonly values: readonly SettingValue[];
}

/** Where each key lives in wasmlet.toml. */
export const settingTable: Record<VaryKey, 'limits' | 'runtime'> = { memory_mb: 'limits', instance_reuse: 'runtime', init_snapshot: 'runtime' };

/**
 * @example parseVary('init_snapshot=false,true') // { key: 'init_snapshot', values: [false, true] }
 * @throws WasmletError bad_request naming the key or value that is wrong
 */
export function parseVary(text: string): Vary {
  const match = /^([a-z_]+)=(.+)$/.exec(text.trim());
  if (!match) throw new WasmletError('bad_request', `--vary takes key=value,value (e.g. init_snapshot=false,true), got ${JSON.stringify(text)}`);
  const key = match[1] as VaryKey;
  if (!varyKeys.includes(key)) throw new WasmletError('bad_request', `--vary: ${key} cannot be varied; the keys are ${varyKeys.join(', ')}`);
  const values = match[2]!.split(',').map((raw) => settingValue(key, raw.trim()));
  if (values.length < 2) throw new WasmletError('bad_request', `--vary ${key} needs at least two values to compare, e.g. ${key}=${key === 'init_snapshot' ? 'false,true' : '1,100'}`);
  if (new Set(values).size !== values.length) throw new WasmletError('bad_request', `--vary ${key}: a value is repeated`);
  return { key, values };
}

function settingValue(key: VaryKey, raw: string): SettingValue {
  if (key === 'init_snapshot') {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new WasmletError('bad_request', `--vary init_snapshot: values are true and false, got ${JSON.stringify(raw)}`);
  }
  if (!/^[1-9][0-9]*$/.test(raw)) throw new WasmletError('bad_request', `--vary ${key}: values are positive integers, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** `init_snapshot = true`, as the table and the recommendation print a configuration. */
export function settingLabel(key: VaryKey, value: SettingValue): string {
  return `${key} = ${String(value)}`;
}

/** What a setting trades besides speed, said next to a recommendation of it. */
export function isolationNote(key: VaryKey, value: SettingValue): string {
  if (key === 'instance_reuse') {
    return value === 1 ? 'same isolation (a fresh instance per call)' : `weaker isolation: one instance serves up to ${String(value)} calls and keeps its state between them`;
  }
  if (key === 'init_snapshot') return value === true ? 'same isolation (every call still gets a fresh instance, started from the snapshot)' : 'same isolation';
  return `each instance may grow to ${String(value)} MiB`;
}
