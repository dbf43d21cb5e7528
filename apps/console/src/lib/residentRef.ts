import type { Resident } from '../api/types';
import { checkIdNumber } from './idNumber';

/**
 * A chosen resident. `lookupIdNumber` is set when it was found by the full ID number (the desk look-up,
 * GET /residents?idNumber=): the waitlist and the admission then name it by that number, which is how a manager
 * reaches an elder beyond its facilities (a bare id of such an elder answers 404).
 */
export type PickedResident = Partial<Resident> & { id: string; lookupIdNumber?: string };

/** What to send for the picked resident: its id, or the full ID number it was looked up by. */
export function residentRef(r: PickedResident): { residentId: string } | { idNumber: string } {
  return r.lookupIdNumber ? { idNumber: r.lookupIdNumber } : { residentId: r.id };
}

/**
 * A search term that is a whole valid ID number (18 characters, right check character, real birth date) is looked up
 * exactly, upper-cased; anything else (a name, part of a number) is a name search: null.
 */
export function fullIdNumberOf(term: string): string | null {
  const t = term.trim();
  return t && checkIdNumber(t) === null ? t.toUpperCase() : null;
}
