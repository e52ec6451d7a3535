// The time source of the queue layer: injected, so tests move time instead of sleeping.

/** Milliseconds since the Unix epoch, like `Date.now()`. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
