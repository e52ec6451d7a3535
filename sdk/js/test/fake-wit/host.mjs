// Fake `wasmlet:function/host@0.1.0` for the native tests.
import { fake } from './state.mjs';

export function log(level, message) {
  fake.logs.push([level, message]);
}

export function getConfig(key) {
  return fake.config[key];
}
