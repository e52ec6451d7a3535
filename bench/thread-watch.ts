// The bench process's thread count and RSS, sampled while a load runs. The host's WorkerPool keeps
// its thread count to itself (createHost does not hand the pool out), so the process's count is read
// instead: Linux's /proc/self/status `Threads:`, every guest worker thread plus Node's own
// (main, V8 platform, libuv pool): compare it with the idle count taken before the load.
import { readFileSync } from 'node:fs';

export interface ThreadSample {
  /** Highest thread count seen; undefined where /proc is not there (not Linux). */
  readonly maxThreads: number | undefined;
  readonly maxRssMiB: number;
}

export interface ThreadWatch {
  stop(): ThreadSample;
}

/** Often enough to catch a 200 ms plateau several times; a /proc read costs a few µs. */
const sampleEveryMs = 20;
const mebibyte = 1024 * 1024;

/** The higher of two samples' peaks (samples of separate stretches of one load). */
export function peakOf(a: ThreadSample, b: ThreadSample): ThreadSample {
  const maxThreads = a.maxThreads === undefined ? b.maxThreads : b.maxThreads === undefined ? a.maxThreads : Math.max(a.maxThreads, b.maxThreads);
  return { maxThreads, maxRssMiB: Math.max(a.maxRssMiB, b.maxRssMiB) };
}

/** The process's thread count now, or undefined without /proc. */
export function threadCount(): number | undefined {
  try {
    const match = /^Threads:\s+(\d+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function startThreadWatch(): ThreadWatch {
  let maxThreads = threadCount();
  let maxRss = process.memoryUsage.rss();
  const sample = () => {
    const threads = threadCount();
    if (threads !== undefined) maxThreads = Math.max(maxThreads ?? 0, threads);
    maxRss = Math.max(maxRss, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, sampleEveryMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { maxThreads, maxRssMiB: maxRss / mebibyte };
    },
  };
}
