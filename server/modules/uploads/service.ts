// Uploads: evidence files stored under `<dataDir>/uploads`, readable by the uploader's organization
// and the bureau. Nothing half-written: the file is written as `<id>.part`, renamed to `<id>` once
// complete (a rename is atomic), and only then is the record inserted; if the insert fails the file
// is removed. A crash between rename and insert leaves a file without a record, which `sweep`
// removes once it is older than the grace period (as it does stray `.part` files).
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { MAX_UPLOAD_BYTES, type Upload } from "../../../shared/schemas/evidence";
import { DomainError, NotFoundError } from "../../errors";
import { isBureau, type Actor } from "../accounts/actor";
import { sniffType } from "./content-type";
import type { UploadDoc, UploadModel } from "./model";
import type { ReceivedFile } from "./multipart";

const ID = /^[0-9a-f]{32}$/;
export const ORPHAN_GRACE_MS = 60 * 60_000;

export class UploadsService {
  now: () => number = () => Date.now();

  constructor(
    private readonly m: UploadModel,
    readonly dir: string,
  ) {}

  async store(actor: Actor, file: ReceivedFile): Promise<Upload> {
    if (file.bytes.length > MAX_UPLOAD_BYTES) throw new DomainError("UPLOAD_TOO_LARGE", { maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 });
    const type = sniffType(file.bytes.subarray(0, 16));
    if (!type) throw new DomainError("UPLOAD_TYPE_NOT_ALLOWED");
    const id = randomBytes(16).toString("hex");
    await mkdir(this.dir, { recursive: true });
    const final = this.pathOf(id);
    await writeFile(`${final}.part`, file.bytes, { flag: "wx" });
    try {
      await rename(`${final}.part`, final);
      const doc: UploadDoc = {
        _id: id, orgId: actor.membership!.orgId, uploadedBy: actor.userId, name: cleanName(file.name, type), size: file.bytes.length, type,
        sha256: createHash("sha256").update(file.bytes).digest("hex"), createdAt: new Date(this.now()),
      };
      await this.m.create(doc);
      return present(doc);
    } catch (err) {
      await rm(`${final}.part`, { force: true });
      await rm(final, { force: true });
      throw err;
    }
  }

  /** The upload and its file path, for its organization's members and the bureau; others get 404. */
  async open(actor: Actor, id: string): Promise<{ upload: Upload; file: string }> {
    const doc = await this.describe(id);
    if (!doc || !(isBureau(actor) || actor.membership?.orgId === doc.orgId)) throw new NotFoundError();
    const file = this.pathOf(doc._id);
    // A record always has its file (store writes the file first); a data directory restored without
    // its files must still answer 404, not a half-sent 200.
    if (!(await stat(file).catch(() => null))) throw new NotFoundError();
    return { upload: present(doc), file };
  }

  /** The record of an upload (for other modules, e.g. claims checking whose evidence it is). */
  async describe(id: string): Promise<UploadDoc | null> {
    if (!ID.test(id)) return null;
    return this.m.findById(id).lean<UploadDoc>();
  }

  /** Removes files older than the grace period that have no record (a crash before the insert). */
  async sweep(at = this.now()): Promise<{ removed: number }> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return { removed: 0 };
    }
    let removed = 0;
    for (const name of names) {
      const id = name.replace(/\.part$/, "");
      if (!ID.test(id)) continue;
      const full = path.join(this.dir, name);
      const { mtimeMs } = await stat(full);
      if (at - mtimeMs < ORPHAN_GRACE_MS) continue;
      if (!name.endsWith(".part") && (await this.m.exists({ _id: id }))) continue;
      await rm(full, { force: true });
      removed++;
    }
    return { removed };
  }

  private pathOf(id: string): string {
    return path.join(this.dir, id);
  }
}

function present(doc: UploadDoc): Upload {
  return { id: doc._id, name: doc.name, size: doc.size, type: doc.type };
}

const EXTENSION = { "application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png" } as const;

/** The file's own name without any path or control characters, at most 200 characters. */
function cleanName(name: string, type: keyof typeof EXTENSION): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? "").replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 200);
  return base || `upload.${EXTENSION[type]}`;
}
