// One entry of a content-addressed store as garbage collection sees it (gc/content-collector.ts).

export interface StoredEntry {
  /** `blob`: a content store file; `artifacts`: one component's transpiled directory; `temporary`: a write that never finished. */
  readonly kind: 'blob' | 'artifacts' | 'temporary';
  /** Absolute path of the file or directory. */
  readonly path: string;
  /** The sha256 hex digest it holds (blob) or was made from (artifacts). */
  readonly digest?: string;
  /** Artifacts of another glue generator or host ABI than this host's: never read again, whatever references their component. */
  readonly outdated?: boolean;
}
