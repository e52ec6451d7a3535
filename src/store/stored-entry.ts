// One entry of a content-addressed store as garbage collection sees it (gc/content-collector.ts).

export interface StoredEntry {
  /** `blob`: a content store file; `artifacts`: one component's transpiled directory; `temporary`: a write that never finished. */
  readonly kind: 'blob' | 'artifacts' | 'temporary';
  /** Absolute path of the file or directory; for an entry that is not a file, where it is (`nats-object://<bucket>/<name>`). */
  readonly path: string;
  /** Its size, when the store knows it without a look at the disk (an object store's entries). */
  readonly bytes?: number;
  /** The sha256 hex digest it holds (blob) or was made from (artifacts). */
  readonly digest?: string;
  /** Artifacts of another glue generator or host ABI than this host's: never read again, whatever references their component. */
  readonly outdated?: boolean;
}
