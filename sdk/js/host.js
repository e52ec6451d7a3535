// The host capabilities of sdk/wit/function.wit (`wasmlet:function/host`): log lines
// captured per invocation, and the manifest's [config] values.
import { log as hostLog, getConfig } from 'wasmlet:function/host@0.1.0';
import { formatArgs } from './format.js';

const line = (level) => (...args) => hostLog(level, formatArgs(args));

/** Structured log lines, e.g. `log.info('greeted', name)`; non-strings are JSON-formatted. */
export const log = Object.freeze({
  debug: line('debug'),
  info: line('info'),
  warn: line('warn'),
  error: line('error'),
});

/**
 * A value from the manifest's `[config]` table.
 * @param {string} key
 * @returns {string | undefined} undefined when the key is absent
 */
export function config(key) {
  const value = getConfig(String(key));
  return value === undefined || value === null ? undefined : value;
}
