// Instrument photos (issue 11): a provider's members upload JPEG, PNG or WebP photos of their
// instruments (type judged by content, 5 MB, at most 8, ordered, the first the cover); anyone sees
// them, served at immutable URLs with caching headers; nothing half-written is left behind.
import { expect } from "chai";
import { createHash } from "node:crypto";
import { readdir, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { apiClient, type ApiClient, expectStatus } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";
import { login, orgAdmin, orgMember, type TestUser } from "../factories/accounts";
import { publishInstrument } from "../factories/catalog";
import { picture, uploadPhoto } from "../factories/photos";
import { ORPHAN_GRACE_MS } from "../../server/modules/photos/service";

const MB = 1024 * 1024;

describe("instrument photos", function () {
  this.timeout(120_000);
  let t: TestServer;
  let api: ApiClient;
  let provider: TestUser;
  let staff: TestUser;
  let otherProvider: TestUser;
  let enterprise: TestUser;
  let bureau: string;
  let jpeg: Buffer;
  let png: Buffer;
  let webp: Buffer;
  const photoDir = () => path.join(t.config.dataDir, "photos");
  const filesOnDisk = async () => (await readdir(photoDir()).catch(() => [] as string[])).sort();
  const records = () => t.db.conn.collection("instrument_photos").countDocuments();
  const photosOf = async (id: string) => (await api.get(`/api/instruments/${id}`)).body.photos as { id: string; thumbUrl: string; largeUrl: string; originalUrl: string; width: number; height: number }[];

  before(async () => {
    t = await startTestServer("photos");
    api = apiClient(t.baseUrl);
    bureau = await login(api, t.admin.email, t.admin.password);
    [provider, otherProvider, enterprise] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
    staff = await orgMember(api, provider, "provider_staff");
    [jpeg, png, webp] = await Promise.all([picture("jpeg", 1200, 900, 1), picture("png", 640, 480, 2), picture("webp", 300, 500, 3)]);
  });
  after(() => t.stop());

  describe("uploading", () => {
    it("takes a JPEG, a PNG and a WebP from the provider's members and lists them in upload order, the first as the cover", async () => {
      const instrument = await publishInstrument(api, provider);
      expect(await photosOf(instrument.id)).to.deep.equal([]);
      const first = await uploadPhoto(t.baseUrl, instrument.id, provider.token, jpeg, "正面.jpg");
      expectStatus(first, 201);
      expect(first.body.items).to.have.length(1);
      expect(first.body.items[0]).to.include({ width: 1200, height: 900 });
      // The name does not matter, the bytes do: a PNG called .jpg is a PNG.
      expectStatus(await uploadPhoto(t.baseUrl, instrument.id, staff.token, png, "side.jpg"), 201);
      const third = await uploadPhoto(t.baseUrl, instrument.id, provider.token, webp, "top.webp");
      expectStatus(third, 201);
      const photos = await photosOf(instrument.id);
      expect(photos.map((p) => p.id)).to.deep.equal(third.body.items.map((p: { id: string }) => p.id));
      expect(photos[0]!.id).to.equal(first.body.items[0].id);
      expect(photos[1]!.originalUrl).to.match(/\/original-[0-9a-f]{16}\.png$/);
      expect(photos[2]!.originalUrl).to.match(/\/original-[0-9a-f]{16}\.webp$/);
      expect(photos[2]).to.include({ width: 300, height: 500 });
      // Search results carry them too, so cards and table rows show the cover without another request.
      const search = await api.get(`/api/instruments?providerId=${provider.orgId}&pageSize=100`);
      expect(search.body.items.find((i: { id: string }) => i.id === instrument.id).photos.map((p: { id: string }) => p.id)).to.deep.equal(photos.map((p) => p.id));
    });

    it("refuses a PDF named .png with 415 PHOTO_TYPE_NOT_ALLOWED, a PNG header over garbage with 422 PHOTO_UNREADABLE, and keeps nothing", async () => {
      const instrument = await publishInstrument(api, provider);
      const [before, filesBefore] = [await records(), await filesOnDisk()];
      const pdf = await uploadPhoto(t.baseUrl, instrument.id, provider.token, Buffer.from("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"), "photo.png", "en");
      expectStatus(pdf, 415, "PHOTO_TYPE_NOT_ALLOWED");
      expect(pdf.body.error.message).to.equal("Only JPEG, PNG or WebP images are accepted (judged by their content)");
      const broken = Buffer.concat([png.subarray(0, 16), Buffer.alloc(4000, 7)]);
      expectStatus(await uploadPhoto(t.baseUrl, instrument.id, provider.token, broken, "broken.png"), 422, "PHOTO_UNREADABLE");
      expectStatus(await uploadPhoto(t.baseUrl, instrument.id, provider.token, Buffer.alloc(0), "empty.jpg"), 415, "PHOTO_TYPE_NOT_ALLOWED");
      expect(await records()).to.equal(before);
      expect(await filesOnDisk()).to.deep.equal(filesBefore);
      expect(await photosOf(instrument.id)).to.deep.equal([]);
    });

    it("refuses an image that decodes to more than 40 megapixels (a decompression bomb) with 422 PHOTO_UNREADABLE", async () => {
      const instrument = await publishInstrument(api, provider);
      const bomb = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: "#fff" } }).png({ compressionLevel: 9 }).toBuffer();
      expect(bomb.length).to.be.below(MB);
      expectStatus(await uploadPhoto(t.baseUrl, instrument.id, provider.token, bomb, "huge.png"), 422, "PHOTO_UNREADABLE");
    });

    it("answers 413 UPLOAD_TOO_LARGE above 5 MB and keeps nothing", async () => {
      const instrument = await publishInstrument(api, provider);
      const [before, filesBefore] = [await records(), await filesOnDisk()];
      const big = Buffer.concat([jpeg, Buffer.alloc(5 * MB + 1 - jpeg.length, 0)]);
      const res = await uploadPhoto(t.baseUrl, instrument.id, provider.token, big, "big.jpg", "en");
      expectStatus(res, 413, "UPLOAD_TOO_LARGE");
      expect(res.body.error.message).to.equal("The file must not exceed 5 MB");
      expect(await records()).to.equal(before);
      expect(await filesOnDisk()).to.deep.equal(filesBefore);
    });

    it("keeps at most 8 photos: the 9th answers 409 PHOTO_LIMIT_REACHED", async () => {
      const instrument = await publishInstrument(api, provider);
      for (let i = 0; i < 8; i++) expectStatus(await uploadPhoto(t.baseUrl, instrument.id, provider.token, png), 201);
      const ninth = await uploadPhoto(t.baseUrl, instrument.id, provider.token, png, "9.png", "en");
      expectStatus(ninth, 409, "PHOTO_LIMIT_REACHED");
      expect(ninth.body.error.message).to.equal("An instrument has at most 8 photos: delete some first");
      expect(await photosOf(instrument.id)).to.have.length(8);
    });

    it("lists exactly 8 of 14 concurrent uploads, refuses the other 6 with 409 and leaves no record or file of them", async () => {
      const instrument = await publishInstrument(api, provider);
      const [recordsBefore, filesBefore] = [await records(), (await filesOnDisk()).length];
      const answers = await Promise.all(Array.from({ length: 14 }, (_, i) => uploadPhoto(t.baseUrl, instrument.id, i % 2 ? staff.token : provider.token, png)));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 201)).to.have.length(8);
      expect(statuses.filter((s) => s === 409)).to.have.length(6);
      for (const a of answers.filter((x) => x.status === 409)) expect(a.body.error.code).to.equal("PHOTO_LIMIT_REACHED");
      const photos = await photosOf(instrument.id);
      expect(photos).to.have.length(8);
      expect(new Set(photos.map((p) => p.id)).size).to.equal(8);
      expect(await records()).to.equal(recordsBefore + 8);
      expect((await filesOnDisk()).length).to.equal(filesBefore + 8 * 3);
    });
  });

  describe("who may change them", () => {
    it("answers 403 to another provider, an enterprise and the bureau, 401 to the anonymous, 404 for no such instrument, and stores nothing", async () => {
      const instrument = await publishInstrument(api, provider);
      const [before, filesBefore] = [await records(), await filesOnDisk()];
      for (const token of [otherProvider.token, enterprise.token, bureau]) {
        expectStatus(await uploadPhoto(t.baseUrl, instrument.id, token, jpeg), 403, "FORBIDDEN");
      }
      expectStatus(await uploadPhoto(t.baseUrl, instrument.id, undefined, jpeg), 401, "UNAUTHENTICATED");
      expectStatus(await uploadPhoto(t.baseUrl, "no-such-instrument", provider.token, jpeg), 404, "NOT_FOUND");
      expect(await records()).to.equal(before);
      expect(await filesOnDisk()).to.deep.equal(filesBefore);

      const { body } = await uploadPhoto(t.baseUrl, instrument.id, provider.token, jpeg);
      const photoId = body.items[0].id;
      expectStatus(await api.call("DELETE", `/api/instruments/${instrument.id}/photos/${photoId}`, { token: otherProvider.token }), 403, "FORBIDDEN");
      expectStatus(await api.call("PUT", `/api/instruments/${instrument.id}/photos/order`, { token: enterprise.token, json: { photoIds: [photoId] } }), 403, "FORBIDDEN");
      expect((await photosOf(instrument.id)).map((p) => p.id)).to.deep.equal([photoId]);
    });
  });

  describe("ordering and deleting", () => {
    it("puts the photos in a new order, the first becoming the cover, and answers 409 PHOTO_ORDER_STALE to an order of another list", async () => {
      const instrument = await publishInstrument(api, provider);
      for (const bytes of [jpeg, png, webp]) await uploadPhoto(t.baseUrl, instrument.id, provider.token, bytes);
      const [a, b, c] = (await photosOf(instrument.id)).map((p) => p.id);
      const res = await api.call("PUT", `/api/instruments/${instrument.id}/photos/order`, { token: staff.token, json: { photoIds: [c, a, b] } });
      expectStatus(res, 200);
      expect((await photosOf(instrument.id)).map((p) => p.id)).to.deep.equal([c, a, b]);
      expectStatus(await api.call("PUT", `/api/instruments/${instrument.id}/photos/order`, { token: provider.token, json: { photoIds: [a, b] } }), 409, "PHOTO_ORDER_STALE");
      expect((await photosOf(instrument.id)).map((p) => p.id)).to.deep.equal([c, a, b]);
    });

    it("deletes a photo: the next becomes the cover, its files answer 404 and its record and files are gone", async () => {
      const instrument = await publishInstrument(api, provider);
      for (const bytes of [jpeg, png]) await uploadPhoto(t.baseUrl, instrument.id, provider.token, bytes);
      const [cover, second] = await photosOf(instrument.id);
      const [before, filesBefore] = [await records(), (await filesOnDisk()).length];
      const res = await api.call("DELETE", `/api/instruments/${instrument.id}/photos/${cover!.id}`, { token: staff.token });
      expectStatus(res, 200);
      expect(res.body.items.map((p: { id: string }) => p.id)).to.deep.equal([second!.id]);
      expect((await photosOf(instrument.id))[0]!.id).to.equal(second!.id);
      expect((await fetch(t.baseUrl + cover!.thumbUrl)).status).to.equal(404);
      expect(await records()).to.equal(before - 1);
      expect((await filesOnDisk()).length).to.equal(filesBefore - 3);
      expect((await filesOnDisk()).some((f) => f.startsWith(cover!.id))).to.equal(false);
      expectStatus(await api.call("DELETE", `/api/instruments/${instrument.id}/photos/${cover!.id}`, { token: staff.token }), 404, "NOT_FOUND");
    });
  });

  describe("serving", () => {
    it("serves the thumbnail as a 480×360 WebP with Cache-Control immutable for a year and the file's sha256 as a strong ETag, to anyone", async () => {
      const instrument = await publishInstrument(api, provider);
      await uploadPhoto(t.baseUrl, instrument.id, provider.token, jpeg);
      const [photo] = await photosOf(instrument.id);
      const res = await fetch(t.baseUrl + photo!.thumbUrl);
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.equal("image/webp");
      expect(res.headers.get("cache-control")).to.equal("public, max-age=31536000, immutable");
      expect(res.headers.get("x-content-type-options")).to.equal("nosniff");
      const bytes = Buffer.from(await res.arrayBuffer());
      const sha = createHash("sha256").update(bytes).digest("hex");
      expect(res.headers.get("etag")).to.equal(`"${sha}"`);
      expect(photo!.thumbUrl).to.include(`thumb-${sha.slice(0, 16)}.webp`);
      expect(await sharp(bytes).metadata()).to.include({ format: "webp", width: 480, height: 360 });
      const large = await fetch(t.baseUrl + photo!.largeUrl);
      expect(await sharp(Buffer.from(await large.arrayBuffer())).metadata()).to.include({ format: "webp", width: 1200, height: 900 });
    });

    it("answers 304 with no body to If-None-Match with the ETag, and 200 to another tag", async () => {
      const instrument = await publishInstrument(api, provider);
      await uploadPhoto(t.baseUrl, instrument.id, provider.token, png);
      const [photo] = await photosOf(instrument.id);
      const first = await fetch(t.baseUrl + photo!.thumbUrl);
      const etag = first.headers.get("etag")!;
      const again = await fetch(t.baseUrl + photo!.thumbUrl, { headers: { "if-none-match": etag } });
      expect(again.status).to.equal(304);
      expect(again.headers.get("etag")).to.equal(etag);
      expect(again.headers.get("cache-control")).to.equal("public, max-age=31536000, immutable");
      expect((await again.arrayBuffer()).byteLength).to.equal(0);
      expect((await fetch(t.baseUrl + photo!.thumbUrl, { headers: { "if-none-match": `W/"x", ${etag}` } })).status).to.equal(304);
      expect((await fetch(t.baseUrl + photo!.thumbUrl, { headers: { "if-none-match": '"other"' } })).status).to.equal(200);
    });

    it("serves the original at full size with its own type but without its metadata (a camera's GPS position), and 404 for a URL whose hash, extension or photo does not match", async () => {
      const instrument = await publishInstrument(api, provider);
      const located = await sharp(jpeg).withExif({ IFD0: { Artist: "lab technician" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "36/1 3/1 0/1" } }).jpeg().toBuffer();
      expect((await sharp(located).metadata()).exif, "the uploaded file carries EXIF").to.be.instanceOf(Buffer);
      await uploadPhoto(t.baseUrl, instrument.id, provider.token, located);
      const [photo] = await photosOf(instrument.id);
      const res = await fetch(t.baseUrl + photo!.originalUrl);
      expect(res.headers.get("content-type")).to.equal("image/jpeg");
      const served = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect(served).to.include({ format: "jpeg", width: 1200, height: 900 });
      expect(served.exif, "EXIF of the served original").to.equal(undefined);
      for (const url of [photo!.thumbUrl, photo!.largeUrl]) expect((await sharp(Buffer.from(await (await fetch(t.baseUrl + url)).arrayBuffer())).metadata()).exif).to.equal(undefined);
      const wrongHash = photo!.thumbUrl.replace(/thumb-[0-9a-f]{16}/, "thumb-0000000000000000");
      const wrongExt = photo!.originalUrl.replace(/\.jpg$/, ".png");
      const wrongPhoto = photo!.thumbUrl.replace(photo!.id, "0".repeat(32));
      for (const url of [wrongHash, wrongExt, wrongPhoto]) expectStatus(await api.get(url), 404, "NOT_FOUND");
      expectStatus(await api.get(`/api/photos/${photo!.id}/passwd`), 400, "VALIDATION_FAILED");
    });
  });

  describe("sweeping", () => {
    it("removes, after the grace period, files without a record and photos their instrument does not list", async () => {
      const instrument = await publishInstrument(api, provider);
      await uploadPhoto(t.baseUrl, instrument.id, provider.token, jpeg);
      const [kept] = await photosOf(instrument.id);
      const stray = "f".repeat(32);
      await writeFile(path.join(photoDir(), `${stray}.original`), jpeg);
      // A record whose listing never happened (a crash between the insert and the instrument's revision).
      const unlisted = "e".repeat(32);
      await t.db.conn.collection("instrument_photos").insertOne({ _id: unlisted as never, instrumentId: instrument.id, providerId: provider.orgId, uploadedBy: provider.id, name: "", type: "image/jpeg", width: 1, height: 1, size: { original: 1, thumb: 1, large: 1 }, sha256: { original: "a", thumb: "a", large: "a" }, createdAt: new Date() });
      await writeFile(path.join(photoDir(), `${unlisted}.thumb`), "x");
      const photos = t.server.services.photos;
      expect((await photos.sweep()).removed, "nothing is old enough yet").to.equal(0);
      const old = new Date(Date.now() - ORPHAN_GRACE_MS - 60_000);
      for (const name of await filesOnDisk()) await utimes(path.join(photoDir(), name), old, old);
      expect((await photos.sweep()).removed).to.equal(2);
      const left = await filesOnDisk();
      expect(left.some((f) => f.startsWith(stray) || f.startsWith(unlisted))).to.equal(false);
      expect(left.filter((f) => f.startsWith(kept!.id))).to.have.length(3);
      expect(await t.db.conn.collection("instrument_photos").countDocuments({ _id: unlisted as never })).to.equal(0);
      expect((await fetch(t.baseUrl + kept!.thumbUrl)).status).to.equal(200);
    });
  });
});
