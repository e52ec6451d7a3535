// wasmlet:function/host for one instance: structured logging and the manifest's [config].
import type { InvocationLog, LogLevel } from './invocation-log.js';

const logLevels: ReadonlySet<string> = new Set<LogLevel>(['debug', 'info', 'warn', 'error']);

export function createHostInterface(config: Readonly<Record<string, string>>, log: InvocationLog) {
  return {
    'wasmlet:function/host': {
      log(level: string, message: string): void {
        log.add(logLevels.has(level) ? (level as LogLevel) : 'info', 'log', message);
      },
      getConfig(key: string): string | undefined {
        return Object.hasOwn(config, key) ? config[key] : undefined;
      },
    },
  };
}
