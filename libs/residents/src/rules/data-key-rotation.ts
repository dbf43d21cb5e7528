/**
 * What a data-key rotation does with one stored ID number (`npm run rotate-data-key`). Pure: the cipher is passed in.
 *
 * A row is current when its ciphertext opens under the current key AND its hash is the current key's hash of the
 * number; only then is it left alone (so a second run, or a run after an interrupted one, changes nothing). Any
 * other readable row is sealed and hashed again under the current key. A row neither key opens is reported, never
 * guessed at.
 */

/** The cipher operations a rotation needs (FieldCipher in @care/core). */
export interface RotatingCipher {
  open(sealed: string): { readonly plain: string; readonly underCurrentKey: boolean };
  encrypt(plain: string): string;
  lookupHash(plain: string): string;
}

/** The stored columns of one resident's ID number. */
export interface StoredIdNumber {
  readonly id: string;
  readonly cipher: string;
  readonly hash: string;
}

export type RotationStep =
  | { readonly action: 'current' }
  | { readonly action: 'reencrypt'; readonly cipher: string; readonly hash: string }
  | { readonly action: 'unreadable' };

export function rotationStep(row: StoredIdNumber, cipher: RotatingCipher): RotationStep {
  let opened: { plain: string; underCurrentKey: boolean };
  try {
    opened = cipher.open(row.cipher);
  } catch {
    return { action: 'unreadable' };
  }
  const hash = cipher.lookupHash(opened.plain);
  if (opened.underCurrentKey && row.hash === hash) return { action: 'current' };
  return { action: 'reencrypt', cipher: opened.underCurrentKey ? row.cipher : cipher.encrypt(opened.plain), hash };
}

/** The counts a rotation prints (never an ID number; resident ids only for rows an operator must look at). */
export interface RotationTally {
  examined: number;
  reencrypted: number;
  alreadyCurrent: number;
  batches: number;
  /** Rows neither key opens: the previous key is not the one they were sealed with. */
  unreadable: string[];
  /**
   * Rows whose new hash another resident already has: the same elder registered twice (by a process that ran with
   * only one of the keys). Left under the previous key for an operator to merge.
   */
  duplicates: string[];
}

export const emptyTally = (): RotationTally => ({
  examined: 0,
  reencrypted: 0,
  alreadyCurrent: 0,
  batches: 0,
  unreadable: [],
  duplicates: [],
});

/** Whether the previous key may be removed: every row is under the current key. */
export const rotationComplete = (tally: RotationTally): boolean =>
  tally.unreadable.length === 0 && tally.duplicates.length === 0;

/** One line for the operator: counts, and resident ids (never ID numbers) of rows left behind. */
export function describeTally(tally: RotationTally): string {
  const parts = [
    `examined ${tally.examined}`,
    `re-encrypted ${tally.reencrypted}`,
    `already under the current key ${tally.alreadyCurrent}`,
    `batches ${tally.batches}`,
    `unreadable ${tally.unreadable.length}`,
    `duplicates ${tally.duplicates.length}`,
  ];
  const line = parts.join(', ');
  if (rotationComplete(tally)) return `${line}; every resident is under the current key`;
  const ids = (label: string, list: string[]) =>
    list.length ? ` ${label}: ${list.slice(0, 20).join(' ')}${list.length > 20 ? ' …' : ''}` : '';
  return `${line}; NOT complete, keep DATA_ENCRYPTION_KEY_PREVIOUS.${ids('unreadable residents', tally.unreadable)}${ids('duplicate residents', tally.duplicates)}`;
}
