/** bcrypt at cost 10 (≈100 ms of CPU per hash: a deployment needs the Workers Paid plan's CPU limit). */
import { compare, hash } from "bcrypt-ts";

export const BCRYPT_COST = 10;

export function hashPassword(password: string): Promise<string> {
  return hash(password, BCRYPT_COST);
}

export function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  return compare(password, passwordHash);
}

/**
 * A real hash of a random string: comparing against it when the email is unknown makes a failed login
 * cost the same CPU time as a wrong password, so response time does not reveal which emails exist.
 */
let dummyHash: Promise<string> | undefined;
export function timingDummyHash(): Promise<string> {
  dummyHash ??= hash(crypto.randomUUID(), BCRYPT_COST);
  return dummyHash;
}
