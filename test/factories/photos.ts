// Real images for photo tests, drawn with sharp, and a one-line multipart upload of one.
import sharp from "sharp";
import type { ApiResponse } from "../support/http";

/** A `width`×`height` picture (a colour gradient, so encoders have something to do) in the format asked for. */
export async function picture(format: "jpeg" | "png" | "webp", width = 800, height = 600, seed = 0): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = (x * 255) / width;
      pixels[i + 1] = (y * 255) / height;
      pixels[i + 2] = (seed * 37) % 256;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).toFormat(format).toBuffer();
}

/** POSTs `bytes` as the multipart field `file` named `name` to an instrument's photos. */
export async function uploadPhoto(baseUrl: string, instrumentId: string, token: string | undefined, bytes: Buffer, name = "photo.jpg", lang?: string): Promise<ApiResponse> {
  const form = new FormData();
  form.append("file", new Blob([bytes], { type: "application/octet-stream" }), name);
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (lang) headers["accept-language"] = lang;
  const res = await fetch(`${baseUrl}/api/instruments/${instrumentId}/photos`, { method: "POST", body: form, headers });
  return { status: res.status, body: await res.json(), headers: res.headers };
}
