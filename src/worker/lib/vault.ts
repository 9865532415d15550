/**
 * The provider-key vault: AES-256-GCM with the master key from the `VAULT_MASTER_KEY` secret,
 * a fresh random 96-bit IV per record, and `user:<id>|provider:<id>` as additional authenticated data,
 * so a ciphertext copied onto another user's or provider's row fails to decrypt.
 * Plaintext exists only in memory, only while a key is being stored or used for a call.
 */

import { fromBase64, toBase64 } from "./crypto.ts";
import { misconfigured } from "./errors.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const keyCache = new Map<string, Promise<CryptoKey>>();

export interface SealedSecret {
  ciphertext: string;
  iv: string;
}

function masterKey(secret: string | undefined): Promise<CryptoKey> {
  if (!secret) throw misconfigured("VAULT_MASTER_KEY");
  let key = keyCache.get(secret);
  if (!key) {
    const raw = fromBase64(secret);
    if (raw.length !== 32) throw misconfigured("a 32-byte base64 VAULT_MASTER_KEY");
    key = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    keyCache.set(secret, key);
  }
  return key;
}

const aad = (userId: string, providerId: string) => encoder.encode(`user:${userId}|provider:${providerId}`);

export async function sealSecret(
  masterSecret: string | undefined,
  plaintext: string,
  owner: { userId: string; providerId: string },
): Promise<SealedSecret> {
  const key = await masterKey(masterSecret);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: aad(owner.userId, owner.providerId) },
    key,
    encoder.encode(plaintext),
  );
  return { ciphertext: toBase64(new Uint8Array(sealed)), iv: toBase64(iv) };
}

export async function openSecret(
  masterSecret: string | undefined,
  sealed: SealedSecret,
  owner: { userId: string; providerId: string },
): Promise<string> {
  const key = await masterKey(masterSecret);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(sealed.iv), additionalData: aad(owner.userId, owner.providerId) },
    key,
    fromBase64(sealed.ciphertext),
  );
  return decoder.decode(plain);
}
