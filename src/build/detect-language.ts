// Which language a function folder is written in, from the names of its top-level files: the rule
// `wasmlet build` uses when wasmlet.toml has no [build] language.
import { buildLanguages, type BuildLanguage } from '../manifest/manifest.js';

interface DetectionRule {
  readonly language: BuildLanguage;
  /** What the rule looks for, as the error message lists it. */
  readonly lookedFor: string;
  readonly matches: (fileName: string) => boolean;
}

/** In the order the error message lists them. A folder matching two rules is ambiguous, never guessed. */
export const detectionRules: readonly DetectionRule[] = [
  { language: 'rust', lookedFor: 'Cargo.toml', matches: (f) => f === 'Cargo.toml' },
  { language: 'go', lookedFor: 'go.mod', matches: (f) => f === 'go.mod' },
  { language: 'python', lookedFor: '*.py', matches: (f) => f.endsWith('.py') },
  { language: 'js', lookedFor: 'handler.js, index.js or handler.ts', matches: (f) => f === 'handler.js' || f === 'index.js' || f === 'handler.ts' },
  { language: 'c', lookedFor: '*.c', matches: (f) => f.endsWith('.c') },
  { language: 'dotnet', lookedFor: '*.cs', matches: (f) => f.endsWith('.cs') },
];

export type LanguageDetection =
  | { readonly kind: 'detected'; readonly language: BuildLanguage; readonly evidence: readonly string[] }
  | { readonly kind: 'none' }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly { readonly language: BuildLanguage; readonly evidence: readonly string[] }[] };

/**
 * The language of a folder whose top-level file names are `fileNames`.
 * @example detectLanguage(['Cargo.toml', 'wasmlet.toml']); // { kind: 'detected', language: 'rust', evidence: ['Cargo.toml'] }
 */
export function detectLanguage(fileNames: readonly string[]): LanguageDetection {
  const sorted = [...fileNames].sort();
  const candidates = detectionRules
    .map((rule) => ({ language: rule.language, evidence: sorted.filter(rule.matches) }))
    .filter((candidate) => candidate.evidence.length > 0);
  if (candidates.length === 0) return { kind: 'none' };
  if (candidates.length > 1) return { kind: 'ambiguous', candidates };
  return { kind: 'detected', language: candidates[0]!.language, evidence: candidates[0]!.evidence };
}

/** The sentence for a folder that is not exactly one language; names what was looked for and the fix. */
export function detectionFailureMessage(dir: string, detection: Exclude<LanguageDetection, { kind: 'detected' }>): string {
  const example = detection.kind === 'ambiguous' ? detection.candidates[0]!.language : 'rust';
  const fix = `set it in wasmlet.toml, e.g. [build] language = "${example}" (one of ${buildLanguages.join(', ')})`;
  if (detection.kind === 'none') {
    const lookedFor = detectionRules.map((rule) => `${rule.lookedFor} (${rule.language})`).join(', ');
    return `cannot tell the language of ${dir}: looked for ${lookedFor} and found none; ${fix}`;
  }
  const found = detection.candidates.map((c) => `${c.language} (${c.evidence.slice(0, 3).join(', ')})`).join(' and ');
  return `cannot tell the language of ${dir}: it looks like ${found}; ${fix}`;
}
