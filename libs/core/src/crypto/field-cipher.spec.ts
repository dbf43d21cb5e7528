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
