// The answer to `QueueStore.ack`, from the handles asked for and those the settlement found stale.
import type { AckResult } from './queue-store.js';

/** The same handle twice deletes once: each stale entry accounts for one occurrence of its handle. */
export function ackResultOf(receiptHandles: readonly string[], stale: readonly string[]): AckResult {
  const unmatched = new Map<string, number>();
  for (const handle of stale) unmatched.set(handle, (unmatched.get(handle) ?? 0) + 1);
  const acked = receiptHandles.filter((handle) => {
    const left = unmatched.get(handle) ?? 0;
    if (left === 0) return true;
    unmatched.set(handle, left - 1);
    return false;
  });
  return { acked, stale: [...stale] };
}
