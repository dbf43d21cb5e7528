/**
 * The resident ID number (公民身份号码, GB 11643-1999), as shared/spec/domain.md §4 gives it:
 * 6-digit address code + 8-digit birth date (YYYYMMDD) + 3-digit sequence + check character.
 *
 * - check character: S = Σ digit × weight (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2);
 *   S mod 11 = 0…10 maps to `1 0 X 9 8 7 6 5 4 3 2`;
 * - the birth date must be a real calendar date and not after `today`;
 * - digit 17 (the last of the sequence) odd = male, even = female;
 * - a lower-case `x` is read as `X`; surrounding blanks are ignored.
 *
 * Pure: no Nest, no TypeORM, no clock (the caller passes `today`).
 */
import { MASKED_ID_NUMBER } from '@care/core/privacy';

export type IdGender = 'male' | 'female';

export interface ParsedIdNumber {
  /** 18 characters, upper-case X. The one form that is hashed, encrypted and masked. */
  readonly normalized: string;
  /** The first 6 digits: where the number was issued. */
  readonly addressCode: string;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  readonly gender: IdGender;
}

export type IdNumberProblem = 'FORMAT' | 'CHECK_DIGIT' | 'BIRTH_DATE_INVALID' | 'BIRTH_DATE_IN_FUTURE';

export type IdNumberResult =
  | { readonly ok: true; readonly value: ParsedIdNumber }
  | { readonly ok: false; readonly problem: IdNumberProblem; readonly message: string };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

/** Upper-cases and trims; anything else is left for {@link parseIdNumber} to judge. */
export function normalizeIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

/** The check character for the first 17 digits. */
export function idNumberCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('the body of an ID number is 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}

/** Whether YYYY, MM, DD form a real date of the proleptic Gregorian calendar. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}

/**
 * Validates and reads an ID number. `today` is the county's date (YYYY-MM-DD); a birth date after it is refused.
 * Messages never repeat the number itself.
 */
export function parseIdNumber(raw: string, today: string): IdNumberResult {
  const n = normalizeIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(n)) {
    return { ok: false, problem: 'FORMAT', message: 'must be 17 digits followed by a digit or X' };
  }
  if (idNumberCheckCharacter(n.slice(0, 17)) !== n[17]) {
    return { ok: false, problem: 'CHECK_DIGIT', message: 'check digit does not match (GB 11643-1999)' };
  }
  const year = Number(n.slice(6, 10));
  const month = Number(n.slice(10, 12));
  const day = Number(n.slice(12, 14));
  if (!isRealDate(year, month, day)) {
    return { ok: false, problem: 'BIRTH_DATE_INVALID', message: 'digits 7–14 are not a real birth date' };
  }
  const birthDate = `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`;
  if (birthDate > today) {
    return { ok: false, problem: 'BIRTH_DATE_IN_FUTURE', message: 'the birth date in digits 7–14 lies in the future' };
  }
  const gender: IdGender = (n.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female';
  return { ok: true, value: { normalized: n, addressCode: n.slice(0, 6), birthDate, gender } };
}

/** Whether the number is valid on `today` (check digit, real birth date not in the future). */
export function isValidIdNumber(raw: string, today: string): boolean {
  return parseIdNumber(raw, today).ok;
}

// The masking rule lives once, in @care/core/privacy (server, logs and console use the same module).
export { maskIdNumber, MASKED_ID_NUMBER } from '@care/core/privacy';

/**
 * How many valid ID numbers agree with what the system shows about a resident: the masked form (first 6, last 1),
 * the birth date (digits 7–14) and the gender (the parity of digit 17). Digits 15–17 are free but for that parity,
 * and the check character must come out as the shown last character. This is what someone who sees a resident's
 * record could narrow the number down to.
 */
export function countIdNumberCandidates(masked: string, birthDate: string, gender: IdGender): number {
  if (!MASKED_ID_NUMBER.test(masked) || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return 0;
  const prefix = `${masked.slice(0, 6)}${birthDate.replace(/-/g, '')}`;
  const check = masked[17];
  let count = 0;
  for (let seq = 0; seq < 1000; seq++) {
    const last = seq % 10;
    if ((last % 2 === 1 ? 'male' : 'female') !== gender) continue;
    if (idNumberCheckCharacter(`${prefix}${String(seq).padStart(3, '0')}`) === check) count++;
  }
  return count;
}
