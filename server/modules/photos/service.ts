// Instrument photos: a provider's members add, order and remove the photos of their instruments;
// anyone reads them. Storage follows uploads/service.ts: each file is written as `.part` and renamed
// once complete, then the record is inserted, then the instrument lists the photo (a revision, so
// two uploads racing for the last of the 8 places take turns and one is refused). A failure removes
// what was written; a crash leaves files without a record or a record its instrument does not list,
// and `sweep` removes both once they are older than the grace period.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  MAX_PHOTO_BYTES,
  MAX_PHOTOS_PER_INSTRUMENT,
  PHOTO_EXTENSIONS,
  PHOTO_VARIANTS,
  type InstrumentPhotoList,
  type PhotoVariant,
} from "../../../shared/schemas/photos";
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from "../../errors";
import { isMemberOf, type Actor } from "../accounts/actor";
import type { InstrumentsService } from "../catalog/instruments";
import type { PhotoRef } from "../catalog/model";
import { presentPhoto } from "../catalog/present";
import type { ReceivedFile } from "../uploads/multipart";
import { processPhoto } from "./images";
import type { PhotoDoc, PhotoModel } from "./model";

const ID = /^[0-9a-f]{32}$/;
export const ORPHAN_GRACE_MS = 60 * 60_000;
const FILE_NAME = /^(thumb|large|original)-([0-9a-f]{16})\.(webp|jpg|png)$/;

/** One file of a photo, ready to stream: its path, content type, length and strong ETag. */
export interface PhotoFileInfo {
  path: string;
  type: string;
  size: number;
  etag: string;
}

type InstrumentPort = Pick<InstrumentsService, "revisePhotos" | "photoRefs">;

export class PhotosService {
  now: () => number = () => Date.now();

  constructor(
    private readonly m: PhotoModel,
    readonly dir: string,
    private readonly instruments: InstrumentPort,
  ) {}

  /**
   * Whether the caller may add a photo now: a member of the instrument's provider (403 otherwise;
   * the instrument is public, so 404 only when there is none) with a place left. Checked before
   * the file is read, and again when the photo is listed.
   */
  async checkCanAdd(actor: Actor, instrumentId: string): Promise<void> {
    const { photos } = await this.owned(actor, instrumentId);
    if (photos.length >= MAX_PHOTOS_PER_INSTRUMENT) throw new ConflictError("PHOTO_LIMIT_REACHED", { max: MAX_PHOTOS_PER_INSTRUMENT });
  }

  async add(actor: Actor, instrumentId: string, file: ReceivedFile): Promise<InstrumentPhotoList> {
    const { providerId } = await this.owned(actor, instrumentId);
    if (file.bytes.length > MAX_PHOTO_BYTES) throw new DomainError("UPLOAD_TOO_LARGE", { maxMb: MAX_PHOTO_BYTES / 1024 / 1024 });
    const image = await processPhoto(file.bytes);
    const contents: Record<PhotoVariant, Uint8Array> = { original: image.original, thumb: image.thumb, large: image.large };
    const sha256 = mapVariants((v) => createHash("sha256").update(contents[v]).digest("hex"));
    const doc: PhotoDoc = {
      _id: randomBytes(16).toString("hex"), instrumentId, providerId, uploadedBy: actor.userId, name: cleanName(file.name),
      type: image.type, width: image.width, height: image.height, size: mapVariants((v) => contents[v].length), sha256,
      createdAt: new Date(this.now()),
    };
    await mkdir(this.dir, { recursive: true });
    try {
      for (const variant of PHOTO_VARIANTS) {
        const final = this.pathOf(doc._id, variant);
        await writeFile(`${final}.part`, contents[variant], { flag: "wx" });
        await rename(`${final}.part`, final);
      }
      await this.m.create(doc);
    } catch (err) {
      await this.removeFiles(doc._id);
      throw err;
    }
    const ref: PhotoRef = { id: doc._id, type: doc.type, width: doc.width, height: doc.height, sha256 };
    try {
      const photos = await this.instruments.revisePhotos(instrumentId, actor.userId, (current) => {
        if (current.length >= MAX_PHOTOS_PER_INSTRUMENT) throw new ConflictError("PHOTO_LIMIT_REACHED", { max: MAX_PHOTOS_PER_INSTRUMENT });
        return [...current, ref];
      });
      return { items: photos.map(presentPhoto) };
    } catch (err) {
      // Refused, or failed after the revision landed (it stands: revisions.ts): keep what is listed;
      // if the database cannot say, the sweep decides later.
      if (!(await this.isListed(instrumentId, doc._id).catch(() => true))) await this.discard(doc._id);
      throw err;
    }
  }

  /** Puts the photos in the given order (the first is the cover); the list must be the current one. */
  async reorder(actor: Actor, instrumentId: string, photoIds: string[]): Promise<InstrumentPhotoList> {
    await this.owned(actor, instrumentId);
    const photos = await this.instruments.revisePhotos(instrumentId, actor.userId, (current) => {
      const byId = new Map(current.map((p) => [p.id, p]));
      if (photoIds.length !== current.length || !photoIds.every((id) => byId.has(id))) throw new ConflictError("PHOTO_ORDER_STALE");
      return photoIds.map((id) => byId.get(id)!);
    });
    return { items: photos.map(presentPhoto) };
  }

  async remove(actor: Actor, instrumentId: string, photoId: string): Promise<InstrumentPhotoList> {
    await this.owned(actor, instrumentId);
    const photos = await this.instruments.revisePhotos(instrumentId, actor.userId, (current) => {
      if (!current.some((p) => p.id === photoId)) throw new NotFoundError();
      return current.filter((p) => p.id !== photoId);
    });
    // The instrument no longer lists it, so it is no longer served; a crash here leaves work for sweep.
    await this.discard(photoId);
    return { items: photos.map(presentPhoto) };
  }

  /**
   * The file a photo URL names, if its instrument lists the photo and the hash in the name is the
   * file's: anyone may read the photos of any instrument in the catalog (all of it is public).
   */
  async open(photoId: string, fileName: string): Promise<PhotoFileInfo> {
    const match = FILE_NAME.exec(fileName);
    if (!ID.test(photoId) || !match) throw new NotFoundError();
    const [, variant, hash, ext] = match as unknown as [string, PhotoVariant, string, string];
    const doc = await this.m.findById(photoId).lean<PhotoDoc>();
    const listed = doc && (await this.isListed(doc.instrumentId, photoId));
    const original = variant === "original";
    if (!doc || !listed || !doc.sha256[variant].startsWith(hash) || ext !== (original ? PHOTO_EXTENSIONS[doc.type] : "webp")) throw new NotFoundError();
    const file = this.pathOf(photoId, variant);
    // A data directory restored without its files answers 404, not a half-sent 200.
    if (!(await stat(file).catch(() => null))) throw new NotFoundError();
    return { path: file, type: original ? doc.type : "image/webp", size: doc.size[variant], etag: `"${doc.sha256[variant]}"` };
  }

  /**
   * Removes files older than the grace period without a record, and records (with their files)
   * that their instrument does not list: a crash between writing and listing, or a delete cut short.
   */
  async sweep(at = this.now()): Promise<{ removed: number }> {
    const names = await readdir(this.dir).catch(() => [] as string[]); // none yet: nothing to sweep
    const ids = new Set(names.map((n) => n.split(".")[0]!).filter((id) => ID.test(id)));
    let removed = 0;
    for (const id of ids) {
      const ages = await Promise.all(names.filter((n) => n.startsWith(`${id}.`)).map(async (n) => at - (await stat(path.join(this.dir, n))).mtimeMs));
      if (Math.min(...ages) < ORPHAN_GRACE_MS) continue;
      const doc = await this.m.findById(id).lean<PhotoDoc>();
      if (doc && (await this.isListed(doc.instrumentId, id))) continue;
      await this.discard(id);
      removed++;
    }
    return { removed };
  }

  /** The instrument's photo list, if the caller is a member of its provider. */
  private async owned(actor: Actor, instrumentId: string): Promise<{ providerId: string; photos: PhotoRef[] }> {
    const refs = await this.instruments.photoRefs(instrumentId);
    if (!refs) throw new NotFoundError();
    if (actor.membership?.orgType !== "provider" || !isMemberOf(actor, refs.providerId)) throw new ForbiddenError();
    return refs;
  }

  private async isListed(instrumentId: string, photoId: string): Promise<boolean> {
    return (await this.instruments.photoRefs(instrumentId))?.photos.some((p) => p.id === photoId) ?? false;
  }

  /** Removes a photo that is not (or no longer) listed: its record, then its files. */
  private async discard(id: string): Promise<void> {
    await this.m.deleteOne({ _id: id });
    await this.removeFiles(id);
  }

  private async removeFiles(id: string): Promise<void> {
    for (const variant of PHOTO_VARIANTS) {
      const file = this.pathOf(id, variant);
      await rm(`${file}.part`, { force: true });
      await rm(file, { force: true });
    }
  }

  private pathOf(id: string, variant: PhotoVariant): string {
    return path.join(this.dir, `${id}.${variant}`);
  }
}

function mapVariants<T>(f: (variant: PhotoVariant) => T): Record<PhotoVariant, T> {
  return { original: f("original"), thumb: f("thumb"), large: f("large") };
}

/** The file's own name without any path or control characters, at most 200 characters. */
function cleanName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return (name.split(/[\\/]/).pop() ?? "").replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 200);
}
