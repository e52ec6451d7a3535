// When a schedule ticks: cron expressions (5 fields, UTC) through cron-parser, rates on multiples of
// the rate since the Unix epoch (so every host agrees on them without coordination).
import { CronExpressionParser } from 'cron-parser';
import type { ScheduleSpec } from '../../manifest/manifest.js';

/** Missed ticks older than this are not delivered after a long outage: a day of catch-up is plenty. */
export const catchUpWindowMs = 24 * 60 * 60 * 1000;
/** And at most this many of them (the most recent), so an every-second schedule cannot flood its queue. */
export const maxCatchUpTicks = 100;

/** A stable text of what makes the schedule tick: a change of it restarts the schedule from now. */
export function scheduleKey(spec: ScheduleSpec): string {
  return spec.cron !== undefined ? `cron ${spec.cron}` : `rate ${spec.rateMs}`;
}

/** The first tick strictly after `afterMs`. */
export function nextTick(spec: ScheduleSpec, afterMs: number): number {
  if (spec.rateMs !== undefined) return (Math.floor(afterMs / spec.rateMs) + 1) * spec.rateMs;
  const expression = CronExpressionParser.parse(spec.cron!, { currentDate: new Date(afterMs), tz: 'UTC' });
  return expression.next().getTime();
}

/** The ticks in (afterMs, nowMs], oldest first: at most `maxCatchUpTicks`, none older than the catch-up window. */
export function dueTicks(spec: ScheduleSpec, afterMs: number, nowMs: number): number[] {
  const ticks: number[] = [];
  for (let t = nextTick(spec, Math.max(afterMs, nowMs - catchUpWindowMs)); t <= nowMs; t = nextTick(spec, t)) {
    ticks.push(t);
    if (ticks.length > maxCatchUpTicks) ticks.shift();
  }
  return ticks;
}
