// CPU time of this process's threads, read from /proc/self/task/<tid>/stat (Linux): the main
// thread's apart from the rest. Node 20 has no per-thread CPU clock, and a CPU profile's samples
// count wall time (a thread descheduled inside a system call is charged to its frame), so this is
// the figure that says how busy the main thread really is. Resolution: one clock tick (10 ms).
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc reports utime and stime in these ticks. */
const ticksPerSecond = 100;

export interface ThreadCpu {
  /** The main (JavaScript) thread: its tid is the process id. */
  readonly mainMicros: number;
  /** Of which in the kernel (system calls: socket writes, waking another thread). */
  readonly mainSystemMicros: number;
  /** Every other thread: worker threads, V8's GC and compiler helpers, libuv's pool. */
  readonly otherMicros: number;
}

/** The CPU time so far of this process's threads, or undefined where /proc is not there. */
export function threadCpu(): ThreadCpu | undefined {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  let mainMicros = 0;
  let mainSystemMicros = 0;
  let otherMicros = 0;
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    // Fields after the command name (in parentheses, which may hold spaces): utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const systemMicros = (Number(fields[12]) / ticksPerSecond) * 1e6;
    const micros = (Number(fields[11]) / ticksPerSecond) * 1e6 + systemMicros;
    if (Number(tid) === process.pid) {
      mainMicros += micros;
      mainSystemMicros += systemMicros;
    } else otherMicros += micros;
  }
  return { mainMicros, mainSystemMicros, otherMicros };
}

/** The CPU each group spent between two readings (threads that ended in between are not counted). */
export function threadCpuSince(before: ThreadCpu | undefined, after: ThreadCpu | undefined): ThreadCpu | undefined {
  if (!before || !after) return undefined;
  return { mainMicros: after.mainMicros - before.mainMicros, mainSystemMicros: after.mainSystemMicros - before.mainSystemMicros, otherMicros: after.otherMicros - before.otherMicros };
}
