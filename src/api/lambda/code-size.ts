// CodeSize of a version: its bundle zip's size on disk, remembered per digest (a bundle never changes).
import type { ActiveFunction } from '../../registry/registry.js';
import { functionConfiguration, type FunctionConfiguration } from './function-configuration.js';

export class CodeSizes {
  readonly #sizeOf: (hex: string) => Promise<number>;
  readonly #known = new Map<string, number>();

  constructor(sizeOf: (hex: string) => Promise<number>) {
    this.#sizeOf = sizeOf;
  }

  async of(bundleHex: string): Promise<number> {
    const known = this.#known.get(bundleHex);
    if (known !== undefined) return known;
    // A bundle collected meanwhile (a version just deleted) still gets an answer: 0.
    const size = await this.#sizeOf(bundleHex).catch(() => 0);
    this.#known.set(bundleHex, size);
    return size;
  }

  async configuration(fn: ActiveFunction, version: string, region: string): Promise<FunctionConfiguration> {
    return functionConfiguration(fn, version, region, await this.of(fn.current.bundleHex));
  }
}
