// Uploaded evidence (contracts, invoices, payment proofs): the file lives under the data directory
// as `<dataDir>/uploads/<id>`, this record says whose it is. The record is written only after the
// file is complete, so a record always has its file (uploads/service.ts).
import { Schema, type Connection } from "mongoose";
import { UPLOAD_TYPES, type UploadType } from "../../../shared/schemas/evidence";

export interface UploadDoc {
  _id: string;
  /** The uploader's organization: its members and the bureau may read the file. */
  orgId: string;
  uploadedBy: string;
  name: string;
  size: number;
  /** Judged from the content (magic bytes), never from the name or the client's claim. */
  type: UploadType;
  sha256: string;
  createdAt: Date;
}

const uploadSchema = new Schema<UploadDoc>(
  {
    _id: String,
    orgId: { type: String, required: true, index: true },
    uploadedBy: { type: String, required: true },
    name: { type: String, required: true },
    size: { type: Number, required: true },
    type: { type: String, enum: UPLOAD_TYPES, required: true },
    sha256: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

export function uploadModel(conn: Connection) {
  return conn.model<UploadDoc>("Upload", uploadSchema, "uploads");
}
export type UploadModel = ReturnType<typeof uploadModel>;
