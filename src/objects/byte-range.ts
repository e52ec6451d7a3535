// The bytes a ranged read returns: a ByteRange resolved against the object's size by HTTP's rules,
// the same for every ObjectStore backend.
import { ObjectError } from './object-error.js';
import type { ByteRange } from './object-store.js';

/** HTTP's rules (RFC 9110 §14.1.2): an end past the object is clipped; a start past it is unsatisfiable. */
export function resolveRange(range: ByteRange | undefined, size: number): { start: number; end: number } {
  if (range === undefined) return { start: 0, end: size - 1 };
  if ('suffix' in range) {
    if (!Number.isSafeInteger(range.suffix) || range.suffix < 0) throw new ObjectError('invalid_argument', `a suffix range needs a non-negative length, got ${range.suffix}`);
    if (range.suffix === 0 || size === 0) throw new ObjectError('invalid_range', 'the requested range is not satisfiable', { size });
    return { start: Math.max(0, size - range.suffix), end: size - 1 };
  }
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0 || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
    throw new ObjectError('invalid_argument', `not a byte range: ${start}-${end ?? ''}`);
  }
  if (start >= size) throw new ObjectError('invalid_range', 'the requested range is not satisfiable', { size });
  return { start, end: Math.min(end ?? size - 1, size - 1) };
}
