// The part of `wasmlet build --help` that explains where the language and the build come from.
import { detectionRules } from '../build/detect-language.js';

export const buildHelp = `
Language: [build] language in wasmlet.toml, else detected from the folder's files:
  ${detectionRules.map((rule) => `${rule.lookedFor} -> ${rule.language}`).join(', ')}.
Build: toolchains/<language>/install.sh (checks the toolchain), then
  toolchains/<language>/build.sh <dir> <dir>/<component>. With [build] command, that shell
  command runs in <dir> instead (WASMLET_COMPONENT names the file to write). It is trusted,
  local-only: it runs with your permissions, and a host never runs it.
Report: language, build time, component and bundle sizes, and the component's imports;
  an import the host does not provide is flagged before you deploy.`;
