// What a photo is, from its first bytes (server/modules/photos/images.ts): never from its name.
import { expect } from "chai";
import { sniffPhotoType } from "../../server/modules/photos/images";

const bytes = (...parts: (number[] | string)[]) => new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : p)));

describe("photo type sniffing", () => {
  it("recognizes JPEG, PNG and WebP by their signatures", () => {
    expect(sniffPhotoType(bytes([0xff, 0xd8, 0xff, 0xe0]))).to.equal("image/jpeg");
    expect(sniffPhotoType(bytes([0x89], "PNG\r\n\x1a\n", [0, 0]))).to.equal("image/png");
    expect(sniffPhotoType(bytes("RIFF", [1, 2, 3, 4], "WEBPVP8 "))).to.equal("image/webp");
  });

  it("refuses other RIFF files (a WAV, an AVI), PDFs, GIFs, SVG, HTML and nothing at all", () => {
    for (const head of [bytes("RIFF", [1, 2, 3, 4], "WAVEfmt "), bytes("RIFF", [1, 2, 3, 4], "AVI LIST"), bytes("%PDF-1.7"), bytes("GIF89a"), bytes("<svg xmlns="), bytes("<html>"), bytes()]) {
      expect(sniffPhotoType(head), Buffer.from(head).toString("latin1")).to.equal(null);
    }
  });

  it("needs the whole signature: a truncated PNG header is not a PNG", () => {
    expect(sniffPhotoType(bytes([0x89], "PNG"))).to.equal(null);
    expect(sniffPhotoType(bytes("RIFF", [1, 2, 3, 4], "WEB"))).to.equal(null);
  });
});
