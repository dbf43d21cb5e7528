import { FieldCipher } from './field-cipher';

describe('FieldCipher', () => {
  const cipher = new FieldCipher(Buffer.alloc(32, 1));

  it('round-trips and never produces the same ciphertext twice', () => {
    const a = cipher.encrypt('620422194501010017');
    const b = cipher.encrypt('620422194501010017');
    expect(a).not.toBe(b);
    expect(a).not.toContain('620422');
    expect(cipher.decrypt(a)).toBe('620422194501010017');
  });

  it('rejects a tampered ciphertext', () => {
    const sealed = cipher.encrypt('620422194501010017').split('.');
    sealed[3] = Buffer.from('tampered').toString('base64url');
    expect(() => cipher.decrypt(sealed.join('.'))).toThrow();
  });

  it('hashes deterministically, differently per key', () => {
    expect(cipher.lookupHash('x')).toBe(cipher.lookupHash('x'));
    expect(cipher.lookupHash('x')).toHaveLength(64);
    expect(new FieldCipher(Buffer.alloc(32, 2)).lookupHash('x')).not.toBe(cipher.lookupHash('x'));
  });
});

describe('FieldCipher during a key rotation', () => {
  const oldKey = Buffer.alloc(32, 1);
  const newKey = Buffer.alloc(32, 2);
  const before = new FieldCipher(oldKey);
  const during = new FieldCipher(newKey, oldKey);
  const after = new FieldCipher(newKey);

  it('reads values sealed under either key and says which, writes only under the new one', () => {
    const old = before.encrypt('620422194501010017');
    expect(during.open(old)).toEqual({ plain: '620422194501010017', underCurrentKey: false });
    const fresh = during.encrypt('620422194501010017');
    expect(during.open(fresh)).toEqual({ plain: '620422194501010017', underCurrentKey: true });
    expect(after.decrypt(fresh)).toBe('620422194501010017');
    expect(() => after.decrypt(old)).toThrow();
    expect(() => before.decrypt(fresh)).toThrow();
  });

  it('refuses a ciphertext neither key sealed', () => {
    expect(() => during.open(new FieldCipher(Buffer.alloc(32, 3)).encrypt('x'))).toThrow();
  });

  it('looks up by the new hash first, then the old one; stores the new one', () => {
    expect(during.rotating).toBe(true);
    expect(after.rotating).toBe(false);
    expect(during.lookupHash('x')).toBe(after.lookupHash('x'));
    expect(during.lookupHashes('x')).toEqual([after.lookupHash('x'), before.lookupHash('x')]);
    expect(after.lookupHashes('x')).toEqual([after.lookupHash('x')]);
  });
});
