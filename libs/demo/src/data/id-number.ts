/**
 * Building demo resident ID numbers (公民身份号码, GB 11643-1999): region code (6) + birth date (8) + sequence (3)
 * + check character, the check character from the residents library's rule (the one the API validates with).
 * Sequence odd = male, even = female.
 */
import { idNumberCheckCharacter } from '@care/residents';

/** Whether an 18-character number carries the right check character (lower-case x read as X). */
export function hasValidIdCheck(idNumber: string): boolean {
  const n = idNumber.toUpperCase();
  return /^\d{17}[\dX]$/.test(n) && idNumberCheckCharacter(n.slice(0, 17)) === n[17];
}

/** The 17 digits before the check character. */
export function idNumberBody(regionCode: string, birthDate: string, sequence: number): string {
  return `${regionCode}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
}

/**
 * A full ID number. `birthDate` is YYYY-MM-DD; `sequence` 0–999, its parity must match the gender
 * (odd male, even female).
 */
export function buildIdNumber(
  regionCode: string,
  birthDate: string,
  sequence: number,
  gender: 'male' | 'female',
): string {
  if (!/^\d{6}$/.test(regionCode)) throw new RangeError(`region code must be 6 digits, got ${regionCode}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) throw new RangeError(`birth date must be YYYY-MM-DD, got ${birthDate}`);
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999)
    throw new RangeError(`sequence 0–999, got ${sequence}`);
  if ((sequence % 2 === 1) !== (gender === 'male')) throw new RangeError('sequence parity must match the gender');
  const body = idNumberBody(regionCode, birthDate, sequence);
  return body + idNumberCheckCharacter(body);
}
