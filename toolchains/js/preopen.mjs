// Preloaded into jco (NODE_OPTIONS=--import) by build.mjs: preview2-shim 0.26 gives the
// toolchain's own wasm tools no filesystem, and jco then fails with "failed to get path
// metadata ... (os error 44)" when it reads the WIT. Expose the real root to the tools.
import { _addPreopen, _getPreopens } from '@bytecodealliance/preview2-shim/filesystem';

if (!_getPreopens().length) _addPreopen('/', '/');
