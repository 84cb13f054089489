// How long a photo upload spends in sharp (decode, thumbnail, gallery size) for typical camera and
// phone pictures: the part of POST /api/instruments/:id/photos that grows with the image. Pictures
// are drawn here (mild noise, roughly the file sizes cameras and phones give), then each is processed `ROUNDS` times.
// Run: npx tsx scripts/bench/photo-thumbnails.ts
import sharp from "sharp";
import { processPhoto } from "../../server/modules/photos/images";

const ROUNDS = 5;
const CASES = [
  { label: "12 MP JPEG (4000×3000, q85)", width: 4000, height: 3000, format: "jpeg" },
  { label: "2 MP PNG (1600×1200)", width: 1600, height: 1200, format: "png" },
  { label: "3 MP WebP (2000×1500)", width: 2000, height: 1500, format: "webp" },
] as const;

async function draw(width: number, height: number, format: "jpeg" | "png" | "webp"): Promise<Buffer> {
  const noise = sharp({ create: { width, height, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 12 } } });
  return noise.toFormat(format, format === "jpeg" ? { quality: 85 } : {}).toBuffer();
}

for (const c of CASES) {
  const bytes = await draw(c.width, c.height, c.format);
  const times: number[] = [];
  let out = { thumb: 0, large: 0 };
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const photo = await processPhoto(bytes);
    times.push(performance.now() - started);
    out = { thumb: photo.thumb.length, large: photo.large.length };
  }
  times.sort((a, b) => a - b);
  const kb = (n: number) => `${Math.round(n / 1024)} kB`;
  console.log(`${c.label}: ${kb(bytes.length)} in, median ${Math.round(times[Math.floor(ROUNDS / 2)]!)} ms (min ${Math.round(times[0]!)}), thumb ${kb(out.thumb)}, large ${kb(out.large)}`);
}
