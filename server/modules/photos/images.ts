// What an uploaded photo is and the sizes served of it. The type comes from the file's first bytes
// (never its name or the client's claim), then sharp (libvips) must decode the whole image: a PNG
// header over garbage, or a small file that expands to gigabytes of pixels, is refused here.
import sharp, { type Sharp } from "sharp";
import { MAX_PHOTO_PIXELS, type PhotoType } from "../../../shared/schemas/photos";
import { DomainError } from "../../errors";

const startsWith = (head: Uint8Array, bytes: number[], at = 0) => bytes.every((b, k) => head[at + k] === b);

export function sniffPhotoType(head: Uint8Array): PhotoType | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) return "image/webp"; // "RIFF" … "WEBP"
  return null;
}

export interface ProcessedPhoto {
  type: PhotoType;
  width: number;
  height: number;
  /** Full size in the uploaded type, upright, without metadata: what is served as the original. */
  original: Buffer;
  thumb: Buffer;
  large: Buffer;
}

/** Card and table thumbnail: 4:3, cropped to fill (the centre of the image). */
const THUMB = { width: 480, height: 360 };
/** The gallery: at most this on the longer side, never enlarged. */
const LARGE_SIDE = 1600;

/**
 * Decodes the photo and renders its thumbnail and gallery size as WebP, and the full size again in
 * its own type, all upright (EXIF orientation applied) and without metadata: a phone's photo of an
 * instrument carries where the lab is and who took it, and every size is served publicly.
 */
export async function processPhoto(bytes: Uint8Array): Promise<ProcessedPhoto> {
  const type = sniffPhotoType(bytes.subarray(0, 16));
  if (!type) throw new DomainError("PHOTO_TYPE_NOT_ALLOWED");
  const input = () => sharp(bytes, { limitInputPixels: MAX_PHOTO_PIXELS, failOn: "error" }).rotate();
  try {
    const meta = await sharp(bytes, { limitInputPixels: MAX_PHOTO_PIXELS }).metadata();
    // An animated WebP or PNG keeps its first frame only; that is what a photo of an instrument is.
    const [original, thumb, large] = await Promise.all([
      reencode(input(), type),
      input().resize({ ...THUMB, fit: "cover" }).webp({ quality: 78 }).toBuffer(),
      input().resize({ width: LARGE_SIDE, height: LARGE_SIDE, fit: "inside", withoutEnlargement: true }).webp({ quality: 82 }).toBuffer(),
    ]);
    const turned = (meta.orientation ?? 1) >= 5; // EXIF 5–8 swap width and height
    const width = turned ? meta.height : meta.width;
    const height = turned ? meta.width : meta.height;
    if (!width || !height) throw new Error("no dimensions");
    return { type, width, height, original, thumb, large };
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError("PHOTO_UNREADABLE");
  }
}

/** The same type at (nearly) the same quality; sharp writes no metadata unless asked to. */
function reencode(image: Sharp, type: PhotoType): Promise<Buffer> {
  if (type === "image/jpeg") return image.jpeg({ quality: 92 }).toBuffer();
  if (type === "image/png") return image.png().toBuffer();
  return image.webp({ quality: 90 }).toBuffer();
}
