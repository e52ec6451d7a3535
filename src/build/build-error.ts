// The failures of `wasmlet build` and `wasmlet new`: local to the CLI (no HTTP status), each with a
// stable code the CLI prints as `wasmlet: <message> (<code>)` and puts in its --json error.

/** Every code a build or new failure can carry, with what it means; codes are a public contract (--json). */
export const buildErrorCatalog = {
  language_unknown: 'The language of the function folder could not be told; set [build] language.',
  toolchain_missing: "The language's toolchain is not installed (toolchains/<language>/install.sh says what is missing).",
  recipe_missing: 'wasmlet has no build recipe for the language yet.',
  build_failed: 'The build recipe or [build] command failed, or did not write the component.',
  template_missing: 'wasmlet has no template for the language (templates/<language>/).',
  directory_not_empty: 'wasmlet new refuses to write into a folder that already has files.',
  name_invalid: 'The function name derived from the folder is not a valid manifest name.',
} as const satisfies Record<string, string>;

export type BuildErrorCode = keyof typeof buildErrorCatalog;

/**
 * An expected failure of a build or of `wasmlet new`.
 * @example throw new BuildError('toolchain_missing', 'the rust toolchain is not ready: rustc not found', { language: 'rust' })
 */
export class BuildError extends Error {
  readonly code: BuildErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: BuildErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BuildError';
    this.code = code;
    this.details = details;
  }
}
