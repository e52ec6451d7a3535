// The key-value part of wasmlet.toml as zod schemas: `key_value_stores` (the grant of wasi:keyvalue)
// and the `[limits] kv_*` overrides. manifest-schema.ts spreads them into the whole manifest.
import * as z from 'zod';
import { storeNamePattern } from '../kv/key-value-input.js';
import {
  defaultKvMaxKeyBytes, defaultKvMaxValueBytes, defaultKvQuotaBytes, maxKeyValueStores, maxKvMaxKeyBytes, maxKvMaxValueBytes, maxKvQuotaBytes, minKvMaxKeyBytes,
  minKvMaxValueBytes, minKvQuotaBytes,
} from './manifest-bounds.js';

const countItems = (value: unknown): number => (value as readonly unknown[]).length;

/** The top-level key. */
export const keyValueShape = {
  key_value_stores: z
    .array(
      z
        .string()
        .regex(storeNamePattern, { error: 'must be a store name: 1 to 63 lowercase letters, digits, "-" or "_", starting with a letter or digit' })
        .meta({ description: 'A key-value store the guest may open with wasi:keyvalue (store.open); created empty when first granted.', examples: ['default', 'sessions'] }),
    )
    .max(maxKeyValueStores, { error: (iss) => `must have at most ${maxKeyValueStores} entries, got ${countItems(iss.input)}` })
    .default([])
    .meta({ description: 'Key-value stores the guest may open (wasi:keyvalue@0.2.0-draft2); none when left out. Functions granted the same store share it.' }),
};

/** The `[limits]` keys. */
export const keyValueLimitsShape = {
  kv_max_key_bytes: z
    .int()
    .min(minKvMaxKeyBytes)
    .max(maxKvMaxKeyBytes)
    .default(defaultKvMaxKeyBytes)
    .meta({ description: 'Longest key the guest may write, in UTF-8 bytes; a longer one is refused (wasi:keyvalue error other).' }),
  kv_max_value_bytes: z
    .int()
    .min(minKvMaxValueBytes)
    .max(maxKvMaxValueBytes)
    .default(defaultKvMaxValueBytes)
    .meta({ description: 'Largest value the guest may write, in bytes.' }),
  kv_quota_bytes: z
    .int()
    .min(minKvQuotaBytes)
    .max(maxKvQuotaBytes)
    .default(defaultKvQuotaBytes)
    .meta({ description: 'Key plus value bytes a store may hold after a write by this function; a write past it is refused whole.' }),
};
