// What a file is, from its first bytes (the "magic numbers" of each format), never from its name.
import type { UploadType } from "../../../shared/schemas/evidence";

const SIGNATURES: { type: UploadType; bytes: number[] }[] = [
  { type: "application/pdf", bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // "%PDF-"
  { type: "image/png", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: "image/jpeg", bytes: [0xff, 0xd8, 0xff] },
];

export function sniffType(head: Uint8Array): UploadType | null {
  return SIGNATURES.find((s) => s.bytes.every((b, k) => head[k] === b))?.type ?? null;
}
