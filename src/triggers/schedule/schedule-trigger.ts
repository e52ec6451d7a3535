// Runs the ticks the Scheduler queued: one schedule-handler call per tick, retried with the
// schedule's backoff; a tick that still fails after `max_attempts` is dropped with an error in the
// function's log (a schedule's next tick is the natural retry).
import type { LeasedMessage, Settlement } from '../../queue/queue-store.js';
import { scheduleQueueName } from '../../queue/queue-names.js';
import { failureText } from '../../runtime/outcome-status.js';
import { retryDelayMs } from '../queue/backoff.js';
import type { BatchHandler } from '../queue/queue-poller.js';
import type { TriggerDeps } from '../queue/trigger-deps.js';
import type { TickMessage } from './scheduler.js';

export function scheduleTriggerHandler(deps: TriggerDeps, functionName: string): BatchHandler {
  const queue = scheduleQueueName(functionName);
  return async (messages) => {
    for (const message of messages) await deps.store.settle(queue, await runTick(deps, functionName, message));
  };
}

async function runTick(deps: TriggerDeps, functionName: string, message: LeasedMessage): Promise<Settlement> {
  const done: Settlement = { ack: [message.receiptHandle] };
  const fn = deps.functions(functionName);
  const tick = JSON.parse(new TextDecoder().decode(message.body)) as TickMessage;
  const spec = fn?.manifest.schedule.find((s) => s.name === tick.name);
  if (!fn || !spec) {
    deps.log(`schedule ${functionName}/${tick.name}: tick ${new Date(tick.scheduledAt).toISOString()} dropped: the schedule no longer exists`);
    return done;
  }
  const result = await deps.invoker.run(fn, { kind: 'schedule', event: { name: tick.name, scheduledAt: tick.scheduledAt } }, message.id);
  const { outcome } = result;
  if (outcome.kind === 'event_ok') {
    return { ...done, publish: result.published ?? [] };
  }
  const error = failureText(outcome, fn.name);
  if (message.attempt >= spec.maxAttempts) {
    deps.log(`schedule ${fn.name}/${tick.name}: tick ${new Date(tick.scheduledAt).toISOString()} given up after ${message.attempt} attempts: ${error}`);
    return done;
  }
  return { retry: [{ receiptHandle: message.receiptHandle, delayMs: retryDelayMs(spec.backoff, message.attempt, deps.random), error }] };
}
