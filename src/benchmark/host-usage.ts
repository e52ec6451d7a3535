// The host's CPU time and resident memory, read before and after each block: from this process when
// the host runs in it (--local), from the admin API's Prometheus `GET /metrics` (prom-client's default
// process metrics) when it answers, otherwise not available.
import { request } from 'undici';

export interface HostUsage {
  /** CPU time the host process used so far (user + system, all threads), µs. */
  readonly cpuMicros: number;
  readonly rssBytes: number;
}

export interface HostUsageSource {
  readonly kind: 'in-process' | 'admin /metrics' | 'not available';
  read(): Promise<HostUsage | undefined>;
}

export const inProcessUsage: HostUsageSource = {
  kind: 'in-process',
  read: async () => {
    const cpu = process.cpuUsage();
    return { cpuMicros: cpu.user + cpu.system, rssBytes: process.memoryUsage.rss() };
  },
};

const notAvailable: HostUsageSource = { kind: 'not available', read: async () => undefined };

/** Probes `GET <admin>/metrics` once: a 200 with both process metrics makes it the source. */
export async function adminMetricsUsage(adminUrl: string, token: string | undefined): Promise<HostUsageSource> {
  const read = async (): Promise<HostUsage | undefined> => {
    try {
      const res = await request(`${adminUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {}, headersTimeout: 5000, bodyTimeout: 5000 });
      const text = await res.body.text();
      if (res.statusCode !== 200) return undefined;
      const cpuSeconds = metricValue(text, 'process_cpu_seconds_total');
      const rssBytes = metricValue(text, 'process_resident_memory_bytes');
      if (cpuSeconds === undefined || rssBytes === undefined) return undefined;
      return { cpuMicros: cpuSeconds * 1e6, rssBytes };
    } catch {
      return undefined;
    }
  };
  return (await read()) ? { kind: 'admin /metrics', read } : notAvailable;
}

/** The value of an unlabelled sample `name value` in Prometheus text format. */
export function metricValue(text: string, name: string): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!rest.startsWith(' ')) continue;
    const value = Number(rest.trim().split(/\s+/)[0]);
    if (Number.isFinite(value)) return value;
  }
  return undefined;
}
