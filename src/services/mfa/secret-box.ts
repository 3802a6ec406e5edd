import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const IV_BYTES = 12
const TAG_BYTES = 16
const VERSION = 'v1'

/**
 * Seals second-factor secrets for the store: AES-256-GCM under a key derived (HKDF-SHA256)
 * from SECRETS_KEY, with the owner's user id authenticated beside it, so a sealed secret
 * copied onto another user does not open. A dump of the store alone yields nothing usable.
 */
export class SecretBox {
  private readonly key: Buffer

  constructor(
    secretsKey: string,
    /** What the box seals: each purpose has a key of its own, so a value sealed for one never opens as another. */
    purpose = 'moneypenny second-factor secrets'
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secretsKey, 'moneypenny', purpose, 32))
  }

  seal(plaintext: string, owner: string): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    cipher.setAAD(Buffer.from(owner))
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`
  }

  /** The plaintext; throws when the value was sealed under another key or for another owner. */
  open(sealed: string, owner: string): string {
    const [version, data] = sealed.split('.')
    if (version !== VERSION || data === undefined) throw new Error('not a sealed secret')
    const bytes = Buffer.from(data, 'base64url')
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES))
    decipher.setAAD(Buffer.from(owner))
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8')
  }
}
