// Fills the placeholders of a template file: `{{name}}` and friends, nothing else.

/** The values a template may use. */
export interface TemplateVariables {
  /** The function name, e.g. "f-rust" (already checked against the manifest's name rule). */
  readonly name: string;
  /** Absolute path of the wasmlet package, where sdk/ and toolchains/ are. */
  readonly wasmlet_root: string;
}

/** `{{identifier}}`; a Rust format string's `{{}}` has no identifier and stays as written. */
const placeholder = /\{\{([a-z_]+)\}\}/g;

/**
 * The template text with every placeholder replaced.
 * @example renderTemplate('name = "{{name}}"', vars); // 'name = "f-rust"'
 * @throws Error on a placeholder that is not a TemplateVariables key: a bug in the template
 */
export function renderTemplate(text: string, variables: TemplateVariables): string {
  return text.replace(placeholder, (whole, key: string) => {
    if (!Object.hasOwn(variables, key)) throw new Error(`unknown template placeholder ${whole}`);
    return variables[key as keyof TemplateVariables];
  });
}

/**
 * Why `root` cannot be written into the templates, or undefined when it can: the SDK paths land in
 * TOML strings (Cargo.toml) and quoted go.mod paths, where a quote, a backslash or a control
 * character would need escaping.
 */
export function unsafeRootReason(root: string): string | undefined {
  if (/["\\]/.test(root)) return 'it contains a quote or a backslash';
  if (/[\u0000-\u001f\u007f]/.test(root)) return 'it contains a control character';
  return undefined;
}
