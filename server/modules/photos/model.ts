// Instrument photos: the files live under the data directory (`<dataDir>/photos/<id>.<variant>`),
// this record says whose they are. As with uploads, the record is written only after the files are
// complete, and the instrument lists the photo only after the record (photos/service.ts).
import { Schema, type Connection } from "mongoose";
import { PHOTO_TYPES, type PhotoType } from "../../../shared/schemas/photos";

export interface PhotoDoc {
  _id: string;
  instrumentId: string;
  providerId: string;
  uploadedBy: string;
  /** The uploaded file's name, for the provider's reference only (never used to judge the type). */
  name: string;
  /** Of the original, judged from its content. */
  type: PhotoType;
  width: number;
  height: number;
  size: { original: number; thumb: number; large: number };
  sha256: { original: string; thumb: string; large: string };
  createdAt: Date;
}

const files = { original: Number, thumb: Number, large: Number };
const photoSchema = new Schema<PhotoDoc>(
  {
    _id: String,
    instrumentId: { type: String, required: true, index: true },
    providerId: { type: String, required: true },
    uploadedBy: { type: String, required: true },
    name: { type: String, default: "" },
    type: { type: String, enum: PHOTO_TYPES, required: true },
    width: { type: Number, required: true },
    height: { type: Number, required: true },
    size: files,
    sha256: { original: String, thumb: String, large: String },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

export function photoModel(conn: Connection) {
  return conn.model<PhotoDoc>("InstrumentPhoto", photoSchema, "instrument_photos");
}
export type PhotoModel = ReturnType<typeof photoModel>;
