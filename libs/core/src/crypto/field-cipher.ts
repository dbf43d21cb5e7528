import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** The two keys HKDF derives from one DATA_ENCRYPTION_KEY. */
interface DerivedKeys {
  readonly encryption: Buffer;
  readonly hash: Buffer;
}

function derive(masterKey: Buffer): DerivedKeys {
  if (masterKey.length !== 32) throw new Error('FieldCipher needs a 32-byte key');
  return {
    encryption: Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'care:field-encryption:v1', 32)),
    hash: Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'care:lookup-hash:v1', 32)),
  };
}

/** A ciphertext opened: the plain text, and whether it was sealed with the current key (false: the previous one). */
export interface OpenedField {
  readonly plain: string;
  readonly underCurrentKey: boolean;
}

/**
 * Encryption of sensitive fields (the resident ID number) with AES-256-GCM, and a keyed hash
 * (HMAC-SHA256) for uniqueness and look-up without decrypting. Both keys are derived from
 * DATA_ENCRYPTION_KEY with HKDF, so one secret serves both purposes without reusing a key.
 *
 * During a key rotation it also holds the previous key (DATA_ENCRYPTION_KEY_PREVIOUS): it writes only with the
 * current key, reads with either (GCM authenticates, so trying the current key first is safe and tells which one
 * sealed it), and looks up by both hashes, so a record not yet re-encrypted stays readable and findable.
 */
export class FieldCipher {
  private readonly current: DerivedKeys;
  private readonly previous: DerivedKeys | null;

  constructor(masterKey: Buffer, previousMasterKey: Buffer | null = null) {
    this.current = derive(masterKey);
    this.previous = previousMasterKey ? derive(previousMasterKey) : null;
  }

  /** Whether a previous key is held: stored values may still be under it. */
  get rotating(): boolean {
    return this.previous !== null;
  }

  /** "v1.<iv>.<tag>.<ciphertext>", base64url parts; always with the current key. */
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.encryption, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ciphertext]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  decrypt(sealed: string): string {
    return this.open(sealed).plain;
  }

  /** Decrypts with the current key, else the previous one; throws when neither authenticates the ciphertext. */
  open(sealed: string): OpenedField {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('Unknown ciphertext format');
    const parts = {
      iv: Buffer.from(iv, 'base64url'),
      tag: Buffer.from(tag, 'base64url'),
      body: Buffer.from(ciphertext, 'base64url'),
    };
    try {
      return { plain: decryptWith(this.current.encryption, parts), underCurrentKey: true };
    } catch (error) {
      if (!this.previous) throw error;
    }
    return { plain: decryptWith(this.previous.encryption, parts), underCurrentKey: false };
  }

  /** Deterministic keyed hash (hex, 64 chars) under the current key: what is stored. Without the key nothing is learnt. */
  lookupHash(plain: string): string {
    return hmac(this.current.hash, plain);
  }

  /**
   * Every hash a stored value may carry: the current key's first, then (during a rotation) the previous key's.
   * Look-ups and uniqueness checks use all of them.
   */
  lookupHashes(plain: string): string[] {
    return this.previous
      ? [hmac(this.current.hash, plain), hmac(this.previous.hash, plain)]
      : [hmac(this.current.hash, plain)];
  }
}

function decryptWith(key: Buffer, parts: { iv: Buffer; tag: Buffer; body: Buffer }): string {
  const decipher = createDecipheriv('aes-256-gcm', key, parts.iv);
  decipher.setAuthTag(parts.tag);
  return Buffer.concat([decipher.update(parts.body), decipher.final()]).toString('utf8');
}

function hmac(key: Buffer, plain: string): string {
  return createHmac('sha256', key).update(plain, 'utf8').digest('hex');
}

export const FIELD_CIPHER = Symbol('FIELD_CIPHER');
