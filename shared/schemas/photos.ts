// Instrument photos (issue 11): providers upload JPEG, PNG or WebP images of their instruments; the
// first is the cover. Every file is served at an immutable URL that carries its content hash.
import { Id, Type, type Static } from "./common";

/** What a photo may be; judged from the file's first bytes and a full decode, never from its name. */
export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];
/** The extension of an original's URL; thumbnails and gallery sizes are WebP. */
export const PHOTO_EXTENSIONS = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" } as const satisfies Record<PhotoType, string>;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_PHOTOS_PER_INSTRUMENT = 8;
/** Larger images are refused: a small file can decode to gigabytes of pixels (a "decompression bomb"). */
export const MAX_PHOTO_PIXELS = 40_000_000;

export const PhotoId = Type.String({ pattern: "^[0-9a-f]{32}$" });

export const InstrumentPhoto = Type.Object({
  id: PhotoId,
  /** Of the uploaded original (after its EXIF orientation). */
  width: Type.Integer({ minimum: 1 }),
  height: Type.Integer({ minimum: 1 }),
  /** 480×360, cropped to fill: cards and table rows. */
  thumbUrl: Type.String(),
  /** At most 1600 px on its longer side: the gallery. */
  largeUrl: Type.String(),
  /** The file as uploaded. */
  originalUrl: Type.String(),
});
export type InstrumentPhoto = Static<typeof InstrumentPhoto>;
export const InstrumentPhotoList = Type.Object({ items: Type.Array(InstrumentPhoto) });
export type InstrumentPhotoList = Static<typeof InstrumentPhotoList>;

export const InstrumentPhotoParams = Type.Object({ id: Id, photoId: PhotoId }, { additionalProperties: false });
/** The new order: every current photo once; the first becomes the cover. */
export const PhotoOrderBody = Type.Object(
  { photoIds: Type.Array(PhotoId, { minItems: 1, maxItems: MAX_PHOTOS_PER_INSTRUMENT, uniqueItems: true }) },
  { additionalProperties: false },
);
export type PhotoOrderBody = Static<typeof PhotoOrderBody>;

export const PHOTO_VARIANTS = ["thumb", "large", "original"] as const;
export type PhotoVariant = (typeof PHOTO_VARIANTS)[number];
/** `<variant>-<first 16 hex of the file's sha256>.<ext>`: a new file never reuses a URL. */
export const PhotoFileParams = Type.Object(
  { photoId: PhotoId, file: Type.String({ maxLength: 40, pattern: "^(thumb|large|original)-[0-9a-f]{16}\\.(webp|jpg|png)$" }) },
  { additionalProperties: false },
);
/** GET /api/photos/:photoId/:file answers the image itself. */
export const PhotoFile = Type.String({ description: "the image's bytes, with its content type; cached for a year (immutable)" });
