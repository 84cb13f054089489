import { createHash, randomBytes } from "node:crypto";
import { Types } from "mongoose";

/** A new document id: ObjectId hex, time-ordered, safe in URLs and in `<id>:<n>` event ids. */
export function newId(): string {
  return new Types.ObjectId().toHexString();
}

/** A secret for a URL or a cookie: 32 random bytes, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** Secrets are stored only as their hash, so a leaked database yields no usable token. */
export function secretHash(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Escapes user text for use inside a RegExp (substring search). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
