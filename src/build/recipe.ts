// The recipe of a language: toolchains/<language>/install.sh (checks, or installs, the toolchain)
// and toolchains/<language>/build.sh <function-dir> <out.wasm>.
import { access } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { BuildLanguage } from '../manifest/manifest.js';
import { BuildError } from './build-error.js';
import { packageRoot, toolchainsDir } from './package-root.js';

export interface Recipe {
  readonly language: BuildLanguage;
  readonly installScript: string;
  readonly buildScript: string;
}

/**
 * The recipe of `language`, checked to exist.
 * @throws BuildError recipe_missing when toolchains/<language>/ has no install.sh or build.sh
 */
export async function findRecipe(language: BuildLanguage, root: string = toolchainsDir): Promise<Recipe> {
  const recipe = { language, installScript: join(root, language, 'install.sh'), buildScript: join(root, language, 'build.sh') };
  for (const script of [recipe.installScript, recipe.buildScript]) {
    const exists = await access(script).then(
      () => true,
      () => false,
    );
    if (!exists) {
      throw new BuildError('recipe_missing', `wasmlet has no ${language} recipe: ${script} does not exist; set [build] command in wasmlet.toml to build it yourself`, {
        language,
        script,
      });
    }
  }
  return recipe;
}

/** `toolchains/rust/build.sh`: how messages name a script of this package. */
export function displayScript(script: string): string {
  const path = relative(packageRoot, script);
  return path.startsWith('..') ? script : path;
}
