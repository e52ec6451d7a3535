// Retry delays of queue and schedule triggers: exponential, capped, with "equal jitter" so a burst
// of failures does not come back as a burst, yet every retry waits at least half its step.
import type { BackoffSpec } from '../../manifest/manifest.js';

/** A number in [0, 1), like Math.random; injected so tests can pin the jitter. */
export type Random = () => number;

/**
 * The delay before delivery `attempt + 1`, after delivery `attempt` (1-based) failed:
 * step = min(maxMs, initialMs × multiplier^(attempt-1)), then a uniform pick in [step/2, step].
 * @example retryDelayMs({ initialMs: 1000, maxMs: 60000, multiplier: 2 }, 3, () => 0.5) // 3000
 */
export function retryDelayMs(backoff: BackoffSpec, attempt: number, random: Random = Math.random): number {
  const step = Math.min(backoff.maxMs, backoff.initialMs * backoff.multiplier ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}
