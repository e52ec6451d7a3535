// Exact-value redaction of what a guest's invocation captures (stdout, stderr, `log`, host lines),
// applied in the worker before a line leaves it. The terms come with the version's grants
// (secret values, see secrets/redaction-terms.ts); a version without secrets has no redactor at all.

/** What a redacted occurrence becomes. */
export const redactedText = '[redacted]';

export class Redactor {
  readonly #pattern: RegExp;
  /** The longest term, in UTF-16 units: stdio held back this much can still complete a match. */
  readonly longestChars: number;

  /** `terms` non-empty, longest first (an alternation takes the first that matches at a position). */
  constructor(terms: readonly string[]) {
    this.#pattern = new RegExp(terms.map(escapeRegExp).join('|'), 'g');
    this.longestChars = Math.max(...terms.map((term) => term.length));
  }

  redact(text: string): string {
    this.#pattern.lastIndex = 0;
    return this.#pattern.test(text) ? text.replace(this.#pattern, redactedText) : text;
  }
}

/** Built once per terms array: grants reach a worker once per version, and so do their terms. */
const byTerms = new WeakMap<readonly string[], Redactor>();

/** The redactor for `terms`; undefined when there is nothing to redact (no cost per line). */
export function redactorFor(terms: readonly string[] | undefined): Redactor | undefined {
  if (!terms || terms.length === 0) return undefined;
  let redactor = byTerms.get(terms);
  if (!redactor) {
    redactor = new Redactor(terms);
    byTerms.set(terms, redactor);
  }
  return redactor;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
