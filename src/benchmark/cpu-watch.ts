// Who used the CPUs during a measurement: this process (all its threads), its load-generator child,
// and everyone else. Others' share is the noise indicator on a shared machine.
import { cpus } from 'node:os';

export interface CpuShare {
  /** Share of all cores' time used by this process and the children it reported (0..1). */
  readonly bench: number;
  /** Share of all cores' time used by other processes (0..1); clamped at 0 against counter skew. */
  readonly others: number;
  /** CPU time of this process alone (all its threads), µs: the server's cost when it serves load. */
  readonly ownMicros: number;
}

export interface CpuWatch {
  /** `childMicros`: CPU time of child processes that ran meanwhile (their own process.cpuUsage()). */
  stop(childMicros?: number): CpuShare;
}

export function startCpuWatch(): CpuWatch {
  const machineBefore = machineTimes();
  const ownBefore = process.cpuUsage();
  return {
    stop(childMicros = 0) {
      const machine = machineTimes();
      const own = process.cpuUsage(ownBefore);
      const allMs = machine.all - machineBefore.all;
      const ownMicros = own.user + own.system;
      if (allMs <= 0) return { bench: NaN, others: NaN, ownMicros };
      const busyMs = allMs - (machine.idle - machineBefore.idle);
      const benchMs = (ownMicros + childMicros) / 1000;
      return { bench: benchMs / allMs, others: Math.max(0, busyMs - benchMs) / allMs, ownMicros };
    },
  };
}

/** Milliseconds summed over all cores (os.cpus() counts in ms). */
function machineTimes(): { all: number; idle: number } {
  let all = 0;
  let idle = 0;
  for (const { times } of cpus()) {
    all += times.user + times.nice + times.sys + times.idle + times.irq;
    idle += times.idle;
  }
  return { all, idle };
}
