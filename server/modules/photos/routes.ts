// HTTP adapter for instrument photos: multipart upload (field `file`), order, delete, and the files
// themselves at immutable URLs with a strong ETag, so browsers and proxies keep them for a year.
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import type { Request } from "express";
import { IdParams } from "../../../shared/schemas/common";
import {
  InstrumentPhotoList,
  InstrumentPhotoParams,
  MAX_PHOTO_BYTES,
  PhotoFile,
  PhotoFileParams,
  PhotoOrderBody,
} from "../../../shared/schemas/photos";
import { route, type RouteSpec } from "../../http/route";
import { readMultipartFile } from "../uploads/multipart";
import type { PhotosService } from "./service";

const PHOTO_FORM = { field: "file", maxBytes: MAX_PHOTO_BYTES };
const PROVIDER_MEMBERS = ["provider_admin", "provider_staff"] as const;
const IMMUTABLE = "public, max-age=31536000, immutable";

/** Whether the client's cached copy is this one (RFC 9110 If-None-Match, weak comparison). */
function notModified(req: Request, etag: string): boolean {
  const header = req.get("if-none-match");
  if (!header) return false;
  return header.trim() === "*" || header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

export function photosRoutes(d: { photos: PhotosService }): RouteSpec[] {
  return [
    route({
      method: "post", path: "/api/instruments/:id/photos", tag: "catalog", access: PROVIDER_MEMBERS, status: 201,
      summary: "Add a photo to an instrument (its provider's members): JPEG, PNG or WebP judged by content, at most 5 MB, at most 8 per instrument",
      params: IdParams, response: InstrumentPhotoList, multipart: PHOTO_FORM,
      errors: ["NOT_FOUND", "PHOTO_LIMIT_REACHED", "UPLOAD_NOT_MULTIPART", "UPLOAD_FILE_MISSING", "PHOTO_TYPE_NOT_ALLOWED", "PHOTO_UNREADABLE", "UPLOAD_TOO_LARGE", "BAD_REQUEST"],
      handler: async ({ actor, params, req }) => {
        await d.photos.checkCanAdd(actor!, params.id);
        return d.photos.add(actor!, params.id, await readMultipartFile(req, PHOTO_FORM.field, PHOTO_FORM.maxBytes));
      },
    }),
    route({
      method: "put", path: "/api/instruments/:id/photos/order", tag: "catalog", access: PROVIDER_MEMBERS,
      summary: "Order an instrument's photos (every current photo once; the first is the cover)",
      params: IdParams, body: PhotoOrderBody, response: InstrumentPhotoList, errors: ["NOT_FOUND", "PHOTO_ORDER_STALE"],
      handler: async ({ actor, params, body }) => d.photos.reorder(actor!, params.id, body.photoIds),
    }),
    route({
      method: "delete", path: "/api/instruments/:id/photos/:photoId", tag: "catalog", access: PROVIDER_MEMBERS,
      summary: "Remove a photo of an instrument (its provider's members); the next one becomes the cover",
      params: InstrumentPhotoParams, response: InstrumentPhotoList, errors: ["NOT_FOUND"],
      handler: async ({ actor, params }) => d.photos.remove(actor!, params.id, params.photoId),
    }),
    route({
      method: "get", path: "/api/photos/:photoId/:file", tag: "catalog", access: "public",
      summary: "A photo's file (thumb, large or original): immutable URL with its content hash, cached a year, ETag; 304 on If-None-Match",
      params: PhotoFileParams, response: PhotoFile, errors: ["NOT_FOUND"], file: { types: ["image/webp", "image/jpeg", "image/png"], notModified: true },
      handler: async ({ params, req, res }) => {
        const file = await d.photos.open(params.photoId, params.file);
        res.set({ "Cache-Control": IMMUTABLE, ETag: file.etag, "X-Content-Type-Options": "nosniff" });
        if (notModified(req, file.etag)) {
          res.status(304).end();
          return;
        }
        res.set({ "Content-Type": file.type, "Content-Length": String(file.size) });
        await pipeline(createReadStream(file.path), res);
      },
    }),
  ];
}
