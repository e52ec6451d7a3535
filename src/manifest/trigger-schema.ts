// The TOML form of the asynchronous parts of wasmlet.toml: `publish`, `[[queue]]`, `[[schedule]]`
// and `[async]`. Checks that span several keys (one of cron/rate, unique names) are refinements
// here, so their messages name the key like every other manifest error.
import { CronExpressionParser } from 'cron-parser';
import * as z from 'zod';
import { internalQueuePrefix, queueNamePattern } from '../queue/queue-names.js';
import {
  defaultAsyncMaxRetries,
  defaultAsyncRetryDelayMs,
  defaultBackoffInitialMs,
  defaultBackoffMaxMs,
  defaultBackoffMultiplier,
  defaultBatchSize,
  defaultMaxAttempts,
  defaultMaxBatchWaitMs,
  defaultMaxEventAgeS,
  defaultQueueConcurrency,
  defaultScheduleMaxAttempts,
  maxAsyncMaxRetries,
  maxAsyncRetryDelayMs,
  maxBackoffMs,
  maxBatchSize,
  maxMaxAttempts,
  maxMaxBatchWaitMs,
  maxMaxEventAgeS,
  maxPublishQueues,
  maxQueueConcurrency,
  maxQueueTriggers,
  maxSchedules,
  maxVisibilityTimeoutMs,
  minAsyncRetryDelayMs,
  minMaxEventAgeS,
  minScheduleRateMs,
  minVisibilityTimeoutMs,
} from './manifest-bounds.js';

const countItems = (value: unknown): number => (value as readonly unknown[]).length;

export const queueNameSchema = z
  .string()
  .regex(queueNamePattern, { error: 'must be 1 to 128 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit' })
  .refine((name) => !name.startsWith(internalQueuePrefix), { error: `must not start with "${internalQueuePrefix}" (reserved for the host's own queues)` })
  .meta({ description: 'A queue name.', examples: ['signups'] });

const backoffSchema = z
  .strictObject({
    initial_ms: z.int().min(0).max(maxBackoffMs).default(defaultBackoffInitialMs).meta({ description: 'Delay before the first retry, in milliseconds.' }),
    max_ms: z.int().min(0).max(maxBackoffMs).default(defaultBackoffMaxMs).meta({ description: 'No retry waits longer than this, in milliseconds.' }),
    multiplier: z.number().min(1).max(10).default(defaultBackoffMultiplier).meta({ description: 'Each further retry waits this many times longer.' }),
  })
  .refine((b) => b.max_ms >= b.initial_ms, { error: 'must be at least initial_ms', path: ['max_ms'] })
  .prefault({})
  .meta({
    description:
      'Retry delays: exponential from initial_ms, capped at max_ms, with "equal jitter" (a retry waits between half and all of its step) so failing messages spread out.',
  });

/** How a queue-driven trigger is fed and retried: shared by [[queue]] and [[object_event]]. */
export const queueDeliveryShape = {
  batch_size: z.int().min(1).max(maxBatchSize).default(defaultBatchSize).meta({ description: 'Most messages handed to one invocation.' }),
  max_batch_wait_ms: z
    .int()
    .min(0)
    .max(maxMaxBatchWaitMs)
    .default(defaultMaxBatchWaitMs)
    .meta({ description: 'How long to wait for a batch to fill before invoking with what is there; 0 invokes at once.' }),
  concurrency: z.int().min(1).max(maxQueueConcurrency).default(defaultQueueConcurrency).meta({ description: 'Batches of this trigger running at once.' }),
  max_attempts: z
    .int()
    .min(1)
    .max(maxMaxAttempts)
    .default(defaultMaxAttempts)
    .meta({ description: 'Deliveries of a message before it is moved to the dead-letter queue.' }),
  backoff: backoffSchema,
  dead_letter: queueNameSchema.optional().meta({ description: 'Where failed messages go; "<queue>-dlq" when left out.' }),
  visibility_timeout_ms: z
    .int()
    .min(minVisibilityTimeoutMs)
    .max(maxVisibilityTimeoutMs)
    .optional()
    .meta({ description: 'How long a delivered batch stays hidden before it is redelivered; 6 × limits.timeout_ms (at least 30 s) when left out.' }),
};

const queueTriggerSchema = z
  .strictObject({
    queue: queueNameSchema.meta({ description: 'The queue this trigger consumes.' }),
    ...queueDeliveryShape,
  })
  .refine((t) => t.dead_letter !== t.queue, { error: 'must differ from queue', path: ['dead_letter'] })
  .meta({ description: 'A queue trigger: the function receives batches of messages from a durable queue, at least once.' });

/** "30s", "5m", "1h", "1d": a number and a unit. */
const ratePattern = /^([1-9][0-9]{0,8})(s|m|h|d)$/;
const rateUnitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function rateToMs(rate: string): number | undefined {
  const match = ratePattern.exec(rate);
  return match ? Number(match[1]) * rateUnitMs[match[2] as keyof typeof rateUnitMs] : undefined;
}

function cronProblem(cron: string): string | undefined {
  if (cron.trim().split(/\s+/).length !== 5) return 'must have 5 fields (minute hour day-of-month month day-of-week)';
  try {
    CronExpressionParser.parse(cron, { tz: 'UTC' });
    return undefined;
  } catch (err) {
    return `is not a valid cron expression: ${err instanceof Error ? err.message : String(err)}`;
  }
}

const scheduleSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,62}$/, { error: 'must be 1 to 63 lowercase letters, digits or "-", starting with a letter' })
      .meta({ description: 'The schedule name, passed to the handler.', examples: ['nightly-cleanup'] }),
    cron: z
      .string()
      .superRefine((cron, ctx) => {
        const problem = cronProblem(cron);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .meta({ description: 'A 5-field cron expression, evaluated in UTC.', examples: ['*/5 * * * *'] }),
    rate: z
      .string()
      .regex(ratePattern, { error: 'must be a number and a unit: "30s", "5m", "1h" or "1d"' })
      .refine((rate) => (rateToMs(rate) ?? 0) >= minScheduleRateMs, { error: 'must be at least 1s' })
      .optional()
      .meta({ description: 'A fixed rate, ticking on multiples of it since the Unix epoch.', examples: ['1m'] }),
    max_attempts: z.int().min(1).max(maxMaxAttempts).default(defaultScheduleMaxAttempts).meta({ description: 'Deliveries of one tick before it is given up.' }),
    backoff: backoffSchema,
  })
  .refine((s) => (s.cron === undefined) !== (s.rate === undefined), { error: 'must set exactly one of cron and rate' })
  .meta({ description: 'A schedule: the function runs at each tick, at least once, through the durable queue.' });

const asyncSchema = z
  .strictObject({
    max_retries: z
      .int()
      .min(0)
      .max(maxAsyncMaxRetries)
      .default(defaultAsyncMaxRetries)
      .meta({ description: 'Retries of an async invocation that fails (Lambda: 2).' }),
    retry_delay_ms: z
      .int()
      .min(minAsyncRetryDelayMs)
      .max(maxAsyncRetryDelayMs)
      .default(defaultAsyncRetryDelayMs)
      .meta({ description: 'Delay before the first retry; each further retry waits twice as long (Lambda: 1 min, then 2 min).' }),
    max_event_age_s: z
      .int()
      .min(minMaxEventAgeS)
      .max(maxMaxEventAgeS)
      .default(defaultMaxEventAgeS)
      .meta({ description: 'An event older than this is not run again; it goes to on_failure (Lambda: 60 s to 6 h).' }),
    on_failure: queueNameSchema.optional().meta({ description: 'A queue receiving a record of every async invocation that failed for good.' }),
    on_success: queueNameSchema.optional().meta({ description: 'A queue receiving a record of every async invocation that succeeded (Lambda\'s OnSuccess destination).' }),
  })
  .prefault({})
  .meta({ description: 'How async invocations (X-Wasmlet-Invocation-Type: Event) are retried.' });

export const triggerShape = {
  publish: z
    .array(queueNameSchema)
    .max(maxPublishQueues, { error: (iss) => `must have at most ${maxPublishQueues} entries, got ${countItems(iss.input)}` })
    .default([])
    .meta({ description: 'Queues the guest may send messages to with the publisher import; none when left out.' }),
  queue: z
    .array(queueTriggerSchema)
    .max(maxQueueTriggers, { error: (iss) => `must have at most ${maxQueueTriggers} entries, got ${countItems(iss.input)}` })
    .refine((triggers) => new Set(triggers.map((t) => t.queue)).size === triggers.length, { error: 'must not consume the same queue twice' })
    .default([])
    .meta({ description: 'Queue triggers ([[queue]] tables).' }),
  schedule: z
    .array(scheduleSchema)
    .max(maxSchedules, { error: (iss) => `must have at most ${maxSchedules} entries, got ${countItems(iss.input)}` })
    .refine((schedules) => new Set(schedules.map((s) => s.name)).size === schedules.length, { error: 'must not repeat a schedule name' })
    .default([])
    .meta({ description: 'Schedules ([[schedule]] tables).' }),
  async: asyncSchema,
};
