#!/usr/bin/env node
// Entry point for the `wasmlet` command: the compiled CLI lives in dist/ (built by `npm ci`'s prepare step).
import '../dist/src/cli/main.js';
