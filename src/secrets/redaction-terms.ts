// What the worker searches captured output for, given the secret values a function version reads.
import { isRedactable } from './secret-input.js';

/**
 * Each value long enough to redact (secret-input.ts minRedactedChars), and each line of a multi-line
 * value on its own: stdout and stderr are captured line by line, so a PEM key printed whole reaches
 * the log as separate lines that no single line of which contains the whole value. Longest first,
 * duplicates removed, so a value containing another is masked whole.
 * @example redactionTermsOf(['sk_live_123', 'abc']) // ['sk_live_123'] — 'abc' is too short to redact
 */
export function redactionTermsOf(values: readonly string[]): readonly string[] {
  const terms = new Set<string>();
  for (const value of values) {
    if (isRedactable(value)) terms.add(value);
    if (!value.includes('\n')) continue;
    // Trimmed: a line of indentation alone would otherwise mask every indented line of every log.
    for (const line of value.split('\n')) {
      const text = line.trim();
      if (isRedactable(text)) terms.add(text);
    }
  }
  return Object.freeze([...terms].sort((a, b) => b.length - a.length));
}
