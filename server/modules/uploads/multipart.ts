// Reading one file from a multipart/form-data request. The body is read with a byte limit enforced
// while it streams (nothing beyond the limit is kept), then parsed by Node's built-in fetch
// implementation (undici's `Request.formData()`): no extra dependency, and a parser that is tested
// upstream. The whole body (≤ the limit plus form overhead) is held in memory once.
import type { Request } from "express";
import { DomainError, RuleError } from "../../errors";

/** Room for the multipart boundaries, headers and small fields around the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;
/** A body far beyond the limit is not drained to its end: the connection is closed after the answer. */
const DRAIN_FACTOR = 4;

export interface ReceivedFile {
  name: string;
  bytes: Uint8Array;
}

export async function readMultipartFile(req: Request, field: string, maxBytes: number): Promise<ReceivedFile> {
  const contentType = req.get("content-type") ?? "";
  if (!/^multipart\/form-data;\s*boundary=/i.test(contentType)) throw new DomainError("UPLOAD_NOT_MULTIPART");
  const tooLarge = () => new DomainError("UPLOAD_TOO_LARGE", { maxMb: Math.round(maxBytes / 1024 / 1024) });
  const body = await readBody(req, maxBytes + FORM_OVERHEAD_BYTES);
  if (!body) throw tooLarge();
  let form: FormData;
  try {
    form = await new globalThis.Request("http://upload.invalid/", { method: "POST", headers: { "content-type": contentType }, body }).formData();
  } catch {
    throw new DomainError("BAD_REQUEST");
  }
  const file = form.get(field);
  if (!file || typeof file === "string") throw new RuleError("UPLOAD_FILE_MISSING");
  if (file.size > maxBytes) throw tooLarge();
  return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** The body, or null once it passes `limit` (the rest is drained, up to a point, so the client reads the answer). */
function readBody(req: Request, limit: number): Promise<Buffer | null> {
  const declared = Number(req.get("content-length") ?? NaN);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let over = declared > limit;
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) over = true;
      if (!over) chunks.push(chunk);
      else if (received > limit * DRAIN_FACTOR) {
        req.pause();
        req.res?.setHeader("Connection", "close");
        resolve(null);
      }
    });
    req.on("end", () => resolve(over ? null : Buffer.concat(chunks)));
    req.on("error", reject);
    // The client went away mid-upload: settle, so nothing waits on a body that will never end.
    req.on("close", () => {
      if (!req.complete) reject(new DomainError("BAD_REQUEST"));
    });
  });
}
