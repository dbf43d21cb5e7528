import { ConflictError, duplicateKeyName, isDuplicateKeyError } from '@care/core';

/**
 * The unique indexes on stays are the last line of defence behind the row locks: should two writers ever get past
 * the checks, the database refuses the second active stay, and that refusal is the contract's 409.
 */
export function mapStayConflict(error: unknown): unknown {
  if (!isDuplicateKeyError(error)) return error;
  const key = duplicateKeyName(error);
  if (key === 'uq_stays_active_bed') return new ConflictError('BED_OCCUPIED', 'The bed holds an active stay');
  if (key === 'uq_stays_active_resident') {
    return new ConflictError('RESIDENT_ALREADY_ADMITTED', 'The resident already has an active stay');
  }
  return error;
}
