// The limits a bundle is unpacked under: every one checked from the zip's central directory before
// anything is inflated, and enforced again while inflating.

export interface BundleLimits {
  /** Entries in the central directory, directories included. */
  readonly maxEntries: number;
  /** Sum of the unpacked sizes of all files. */
  readonly maxTotalBytes: number;
  /** Unpacked size of one file. */
  readonly maxEntryBytes: number;
  /** Unpacked size over compressed size, per file (checked above `compressionRatioFloorBytes`). */
  readonly maxCompressionRatio: number;
}

/** A bundle is a manifest, a component and perhaps a few assets; hundreds of entries means a mistake or an attack. */
export const defaultMaxEntries = 64;

/** The upload cap of the admin API: no bundle can need more than it could have sent uncompressed. */
export const defaultMaxTotalBytes = 128 * 1024 * 1024;

/** Interpreter-based components are the biggest (componentize-py is 18 to 40 MB); 64 MiB leaves room. */
export const defaultMaxEntryBytes = 64 * 1024 * 1024;

/**
 * Wasm and text compress 3 to 10 times; deflate tops out near 1032:1, which only zeros reach. 200:1
 * admits zero-heavy data segments and still stops a bomb from being 1000 times its upload.
 */
export const defaultMaxCompressionRatio = 200;

/**
 * A ratio says nothing about small files: 64 KiB of spaces deflates 500:1 and is harmless. Entries
 * below 1 MiB unpacked are bounded by the size limits alone.
 */
export const compressionRatioFloorBytes = 1024 * 1024;

export const defaultBundleLimits: BundleLimits = Object.freeze({
  maxEntries: defaultMaxEntries,
  maxTotalBytes: defaultMaxTotalBytes,
  maxEntryBytes: defaultMaxEntryBytes,
  maxCompressionRatio: defaultMaxCompressionRatio,
});
