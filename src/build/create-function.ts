// `wasmlet new <template> <dir>`: a ready-to-build function folder from templates/<template>/ (one
// per language, plus standard wasi:http variants), with the function name taken from the folder
// and the SDKs of this package referenced by absolute path.
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { functionNamePattern } from '../manifest/manifest-bounds.js';
import { buildLanguages, type BuildLanguage } from '../manifest/manifest.js';
import { BuildError } from './build-error.js';
import { packageRoot, templatesDir } from './package-root.js';
import { renderTemplate, unsafeRootReason } from './render-template.js';

/** How each template's own unit test runs, from the new folder (the README there says the same). */
export const nativeTestCommands: Readonly<Record<BuildLanguage, readonly string[]>> = {
  c: ['sh', 'test.sh'],
  // Debian's cargo: rustup's, usually first on PATH, cannot drive rustc 1.63 (.cargo/config.toml pins rustc).
  rust: ['/usr/bin/cargo', 'test', '--offline'],
  go: ['go', 'test', './...'],
  python: ['python3', '-m', 'unittest', '-v'],
  js: ['node', '--test'],
  // mcs + mono: the SDK, the function and tests/ compiled into one program (Mono's class library, not .NET 10's).
  dotnet: ['sh', 'test.sh'],
};

/**
 * The templates of `wasmlet new`: each language's (a wasmlet handler, using its SDK), and the
 * standard wasi:http/proxy guests (no SDK; the recipe tells them apart by their source).
 */
export const templateNames = [...buildLanguages, 'c-http', 'js-http', 'python-http'] as const;
export type TemplateName = (typeof templateNames)[number];

/** The language, and so the recipe, each template is built with. */
export const templateLanguages: Readonly<Record<TemplateName, BuildLanguage>> = {
  ...(Object.fromEntries(buildLanguages.map((language) => [language, language])) as Record<BuildLanguage, BuildLanguage>),
  'c-http': 'c',
  'js-http': 'js',
  'python-http': 'python',
};

export interface NewFunctionRequest {
  /** A template name: a language ("rust") or a variant ("js-http"). */
  readonly language: TemplateName;
  readonly dir: string;
  /** Default: the folder's name, which must then follow the manifest's name rule. */
  readonly name?: string | undefined;
}

export interface CreatedFunction {
  readonly name: string;
  /** The template's language: its recipe builds the folder. */
  readonly language: BuildLanguage;
  /** Absolute. */
  readonly dir: string;
  /** Relative to dir, "/"-separated, sorted. */
  readonly files: readonly string[];
  readonly testCommand: readonly string[];
}

/**
 * Writes a new function folder.
 * @example await createFunction({ language: 'rust', dir: '/tmp/greeter' }); // name "greeter", route "/greeter"
 * @throws BuildError name_invalid, directory_not_empty, template_missing
 */
export async function createFunction(request: NewFunctionRequest, roots = { templates: templatesDir, wasmlet: packageRoot }): Promise<CreatedFunction> {
  const dir = resolve(request.dir);
  const name = request.name ?? basename(dir);
  if (!functionNamePattern.test(name)) {
    const hint = request.name === undefined ? `; name the folder like "${suggestName(name)}", or pass --name` : '';
    throw new BuildError('name_invalid', `"${name}" is not a valid function name: it must be 1 to 63 lowercase letters, digits or "-", starting with a letter${hint}`, { name });
  }
  const rootProblem = unsafeRootReason(roots.wasmlet);
  if (rootProblem) throw new Error(`wasmlet is installed at ${roots.wasmlet}, which templates cannot reference: ${rootProblem}; move the checkout`);
  const template = request.language;
  const language = templateLanguages[template];
  const templateDir = join(roots.templates, template);
  const templateFiles = await listFiles(templateDir).catch((err: unknown) => {
    throw new BuildError('template_missing', `wasmlet has no ${template} template: ${templateDir} is missing`, { language: template }, { cause: err });
  });
  await ensureEmptyDir(dir);

  const variables = { name, wasmlet_root: roots.wasmlet };
  for (const file of templateFiles) {
    const target = join(dir, file);
    await mkdir(dirname(target), { recursive: true });
    const source = await readFile(join(templateDir, file));
    const mode = (await stat(join(templateDir, file))).mode & 0o777;
    await writeFile(target, renderTemplate(source.toString('utf8'), variables), { mode });
  }
  return { name, language, dir, files: templateFiles, testCommand: nativeTestCommands[language] };
}

/** "My_Function" -> "my-function": a name the rule accepts, for the error message. */
export function suggestName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+/g, '-')
    .replace(/-$/, '')
    .slice(0, 63);
  return slug || 'my-function';
}

async function ensureEmptyDir(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined) return void (await mkdir(dir, { recursive: true }));
  if (!info.isDirectory()) throw new BuildError('directory_not_empty', `${dir} exists and is not a folder`, { dir });
  const entries = await readdir(dir);
  if (entries.length > 0) {
    throw new BuildError('directory_not_empty', `${dir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); wasmlet new never overwrites files`, { dir });
  }
}

/** Every file below dir, relative and "/"-separated, sorted (dotfiles included). */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}
