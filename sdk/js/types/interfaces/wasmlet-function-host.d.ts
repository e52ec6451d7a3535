declare module 'wasmlet:function/host@0.1.0' {
  /**
   * A structured log line, captured per invocation with its request id.
   */
  export function log(level: LogLevel, message: string): void;
  /**
   * A value from the manifest's `[config]` table; none when the key is absent.
   */
  export function getConfig(key: string): string | undefined;
  /**
   * # Variants
   * 
   * ## `"debug"`
   * 
   * ## `"info"`
   * 
   * ## `"warn"`
   * 
   * ## `"error"`
   */
  export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
}
