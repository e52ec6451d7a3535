// Imported first by a test file whose code reaches the WIT imports: routes them to the fakes.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
