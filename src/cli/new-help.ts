// The part of `wasmlet new --help` that lists the templates (src/build/create-function.ts owns them).
import { templateLanguages, templateNames } from '../build/create-function.js';

/** Templates named after their language: a wasmlet handler with that language's SDK. */
const languageTemplates = templateNames.filter((name) => templateLanguages[name] === name);
/** The others (c-http, js-http, python-http): standard wasi:http/proxy components in a language. */
const variantTemplates = templateNames.filter((name) => templateLanguages[name] !== name);

export const newTemplateArgumentHelp = 'a language, or <language>-http for a standard wasi:http component';

export const newHelp = `
Templates:
  ${languageTemplates.join(', ')}
      a wasmlet handler using the language's SDK
  ${variantTemplates.map((name) => `${name} (${templateLanguages[name]})`).join(', ')}
      a standard wasi:http/proxy component in that language, without the wasmlet SDK
Each has a handler, its unit test, wasmlet.toml (one route, no grants) and a README.`;

