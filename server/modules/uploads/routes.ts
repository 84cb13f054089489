// HTTP adapter for uploads: a multipart POST with the file in the field `file`, and the file back
// to its organization's members and the bureau.
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { IdParams } from "../../../shared/schemas/common";
import { MAX_UPLOAD_BYTES, Upload, UploadFile } from "../../../shared/schemas/evidence";
import { route, type RouteSpec } from "../../http/route";
import { readMultipartFile } from "./multipart";
import type { UploadsService } from "./service";

const UPLOAD_FORM = { field: "file", maxBytes: MAX_UPLOAD_BYTES };
const ANY_MEMBER = ["enterprise_admin", "enterprise_member", "provider_admin", "provider_staff", "bureau_admin", "bureau_reviewer"] as const;

export function uploadsRoutes(d: { uploads: UploadsService }): RouteSpec[] {
  return [
    route({
      method: "post", path: "/api/uploads", tag: "uploads", access: ANY_MEMBER, status: 201,
      summary: "Upload a PDF, JPEG or PNG (multipart/form-data, field `file`, at most 10 MB; the type is judged from the content)",
      response: Upload, multipart: UPLOAD_FORM,
      errors: ["UPLOAD_NOT_MULTIPART", "UPLOAD_FILE_MISSING", "UPLOAD_TYPE_NOT_ALLOWED", "UPLOAD_TOO_LARGE", "BAD_REQUEST"],
      handler: async ({ actor, req }) => d.uploads.store(actor!, await readMultipartFile(req, UPLOAD_FORM.field, UPLOAD_FORM.maxBytes)),
    }),
    route({
      method: "get", path: "/api/uploads/:id", tag: "uploads", access: ANY_MEMBER,
      summary: "The uploaded file (its organization's members and the bureau), as an attachment",
      params: IdParams, response: UploadFile, errors: ["NOT_FOUND"], file: { types: ["application/pdf", "image/jpeg", "image/png"] },
      handler: async ({ actor, params, res }) => {
        const { upload, file } = await d.uploads.open(actor!, params.id);
        res.set({
          "Content-Type": upload.type,
          "Content-Length": String(upload.size),
          "Content-Disposition": `attachment; filename="${upload.name.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(upload.name)}`,
          "X-Content-Type-Options": "nosniff",
          "Cache-Control": "private, no-store",
        });
        await pipeline(createReadStream(file), res);
      },
    }),
  ];
}
