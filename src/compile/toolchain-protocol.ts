// Messages to and from the toolchain worker.
import type { SnapshotRequest, SnapshotResult } from './capture-snapshot.js';
import type { FoldResult } from './fold-core-modules.js';

export type ToolchainRequest =
  | { readonly id: number; readonly op: 'wit'; readonly component: Uint8Array }
  | { readonly id: number; readonly op: 'transpile'; readonly component: Uint8Array; readonly name: string }
  | { readonly id: number; readonly op: 'snapshot'; readonly request: SnapshotRequest }
  /** `files`: the glue (named `glueFile`) and the core modules, as the artifact store keeps them. */
  | { readonly id: number; readonly op: 'fold'; readonly files: Readonly<Record<string, Uint8Array>>; readonly glueFile: string }
  /** Stops every fold under way (their wasm-merge processes); answered once they have ended. */
  | { readonly id: number; readonly op: 'cancel-folds' };

export type ToolchainReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly wit?: string;
      readonly files?: Record<string, Uint8Array>;
      readonly snapshot?: SnapshotResult;
      readonly fold?: FoldResult;
    }
  /** `code`: the WasmletError code when the failure is one (a refused snapshot), for the caller to rethrow. */
  | { readonly id: number; readonly ok: false; readonly message: string; readonly code?: string };
