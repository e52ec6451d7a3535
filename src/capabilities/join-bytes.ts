// Joins byte chunks into one array; a single chunk is returned as it is (no copy).

export function joinBytes(chunks: readonly Uint8Array[], totalBytes = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const joined = new Uint8Array(totalBytes);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}
