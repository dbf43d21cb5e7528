import { FieldCipher } from '@care/core';
import { describeTally, emptyTally, rotationComplete, rotationStep } from './data-key-rotation';

describe('data-key rotation, one row at a time', () => {
  const oldKey = Buffer.alloc(32, 1);
  const newKey = Buffer.alloc(32, 2);
  const before = new FieldCipher(oldKey);
  const during = new FieldCipher(newKey, oldKey);
  const number = '620422194501010017';

  it('seals a row under the previous key again, with the current key and its hash', () => {
    const step = rotationStep({ id: 'r1', cipher: before.encrypt(number), hash: before.lookupHash(number) }, during);
    if (step.action !== 'reencrypt') throw new Error(`expected reencrypt, got ${step.action}`);
    expect(step.hash).toBe(during.lookupHash(number));
    expect(step.hash).not.toBe(before.lookupHash(number));
    expect(new FieldCipher(newKey).decrypt(step.cipher)).toBe(number);
    expect(step.cipher).not.toContain(number);
  });

  it('leaves a row already under the current key alone: a second run changes nothing', () => {
    const first = rotationStep({ id: 'r1', cipher: before.encrypt(number), hash: before.lookupHash(number) }, during);
    if (first.action !== 'reencrypt') throw new Error('expected reencrypt');
    expect(rotationStep({ id: 'r1', cipher: first.cipher, hash: first.hash }, during)).toEqual({ action: 'current' });
  });

  it('recomputes a stale hash beside a current ciphertext (keeping the ciphertext)', () => {
    const sealed = during.encrypt(number);
    expect(rotationStep({ id: 'r1', cipher: sealed, hash: before.lookupHash(number) }, during)).toEqual({
      action: 'reencrypt',
      cipher: sealed,
      hash: during.lookupHash(number),
    });
  });

  it('reports a row neither key opens (wrong previous key, or not a ciphertext) instead of guessing', () => {
    const stranger = new FieldCipher(Buffer.alloc(32, 3));
    expect(rotationStep({ id: 'r1', cipher: stranger.encrypt(number), hash: 'x' }, during)).toEqual({
      action: 'unreadable',
    });
    expect(rotationStep({ id: 'r2', cipher: 'cipher', hash: 'x' }, during)).toEqual({ action: 'unreadable' });
  });
});

describe('the rotation tally', () => {
  it('is complete only when no row was left behind, and never prints an ID number', () => {
    const tally = { ...emptyTally(), examined: 3, reencrypted: 2, alreadyCurrent: 1, batches: 1 };
    expect(rotationComplete(tally)).toBe(true);
    expect(describeTally(tally)).toBe(
      'examined 3, re-encrypted 2, already under the current key 1, batches 1, unreadable 0, duplicates 0; every resident is under the current key',
    );
    const left = { ...tally, unreadable: ['a1'], duplicates: ['b2'] };
    expect(rotationComplete(left)).toBe(false);
    expect(describeTally(left)).toMatch(
      /NOT complete, keep DATA_ENCRYPTION_KEY_PREVIOUS\. unreadable residents: a1 duplicate residents: b2$/,
    );
  });
});
