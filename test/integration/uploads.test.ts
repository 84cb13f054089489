// Evidence uploads (issue 10): PDF, JPEG and PNG up to 10 MB, the type judged from the content,
// readable only by the uploader's organization and the bureau, nothing half-written on failure.
import { expect } from "chai";
import { mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startTestServer, type TestServer } from "../support/server";
import { apiClient, type ApiClient, expectStatus } from "../support/http";
import { login, orgAdmin, orgMember, type TestUser } from "../factories/accounts";

const PDF = Buffer.from("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
const MB = 1024 * 1024;

describe("evidence uploads", function () {
  this.timeout(120_000);
  let t: TestServer;
  let api: ApiClient;
  let dataDir: string;
  let ent: TestUser;
  let colleague: TestUser;
  let otherEnt: TestUser;
  let provider: TestUser;
  let bureau: string;
  const uploadDir = () => path.join(dataDir, "uploads");

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "labshare-uploads-"));
    t = await startTestServer("uploads", { LABSHARE_DATA_DIR: dataDir });
    api = apiClient(t.baseUrl);
    bureau = await login(api, t.admin.email, t.admin.password);
    [ent, otherEnt, provider] = await Promise.all([orgAdmin(api, "enterprise", bureau), orgAdmin(api, "enterprise", bureau), orgAdmin(api, "provider", bureau)]);
    colleague = await orgMember(api, ent, "enterprise_member");
  });
  after(async () => {
    await t.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function upload(token: string | undefined, bytes: Buffer, name: string, opts: { field?: string; declaredType?: string; lang?: string } = {}) {
    const form = new FormData();
    form.append(opts.field ?? "file", new Blob([bytes], { type: opts.declaredType ?? "application/octet-stream" }), name);
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.lang) headers["accept-language"] = opts.lang;
    const res = await fetch(`${t.baseUrl}/api/uploads`, { method: "POST", body: form, headers });
    return { status: res.status, body: (await res.json()) as any };
  }
  const filesOnDisk = async () => (await readdir(uploadDir()).catch(() => [] as string[])).sort();
  const records = () => t.db.conn.collection("uploads").countDocuments();

  it("stores a PDF, a PNG and a JPEG and answers {id, name, size, type} with the type found in the content", async () => {
    const pdf = await upload(ent.token, PDF, "合同.pdf");
    expectStatus(pdf as any, 201);
    expect(pdf.body).to.deep.equal({ id: pdf.body.id, name: "合同.pdf", size: PDF.length, type: "application/pdf" });
    // The name and the declared type do not matter: the bytes do.
    expect((await upload(ent.token, PNG, "invoice.pdf", { declaredType: "application/pdf" })).body.type).to.equal("image/png");
    expect((await upload(ent.token, JPEG, "payment.txt")).body.type).to.equal("image/jpeg");
    expect(await filesOnDisk()).to.include(pdf.body.id);
  });

  it("serves the file to the uploader's organization and the bureau, and 404 to everyone else", async () => {
    const { body } = await upload(ent.token, PDF, "发票 2026.pdf");
    for (const token of [ent.token, colleague.token, bureau]) {
      const res = await fetch(`${t.baseUrl}/api/uploads/${body.id}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.equal("application/pdf");
      expect(res.headers.get("x-content-type-options")).to.equal("nosniff");
      expect(res.headers.get("content-disposition")).to.include(`filename*=UTF-8''${encodeURIComponent("发票 2026.pdf")}`);
      expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).to.equal(true);
    }
    for (const token of [otherEnt.token, provider.token]) expectStatus(await api.get(`/api/uploads/${body.id}`, { token }), 404, "NOT_FOUND");
    expectStatus(await api.get(`/api/uploads/${body.id}`), 401, "UNAUTHENTICATED");
    expectStatus(await api.get(`/api/uploads/0123456789abcdef0123456789abcdef`, { token: ent.token }), 404, "NOT_FOUND");
  });

  it("answers 404 for a record whose file is gone (a data directory restored without its files)", async () => {
    const { body } = await upload(ent.token, PNG, "lost.png");
    await rm(path.join(uploadDir(), body.id));
    expectStatus(await api.get(`/api/uploads/${body.id}`, { token: ent.token }), 404, "NOT_FOUND");
  });

  it("refuses content that is not PDF, JPEG or PNG with 415 UPLOAD_TYPE_NOT_ALLOWED, whatever its name, and keeps nothing", async () => {
    const [before, filesBefore] = [await records(), await filesOnDisk()];
    const html = await upload(ent.token, Buffer.from("<html><script>alert(1)</script></html>"), "scan.pdf", { declaredType: "application/pdf", lang: "en" });
    expectStatus(html as any, 415, "UPLOAD_TYPE_NOT_ALLOWED");
    expect(html.body.error.message).to.equal("Only PDF, JPEG or PNG files are accepted (judged by their content)");
    expectStatus((await upload(ent.token, Buffer.alloc(0), "empty.png")) as any, 415, "UPLOAD_TYPE_NOT_ALLOWED");
    expect(await records()).to.equal(before);
    expect(await filesOnDisk()).to.deep.equal(filesBefore);
  });

  it("answers 413 UPLOAD_TOO_LARGE above 10 MB and accepts exactly 10 MB", async () => {
    const [before, filesBefore] = [await records(), await filesOnDisk()];
    const over = Buffer.concat([PDF, Buffer.alloc(10 * MB + 1 - PDF.length, 0x20)]);
    const res = await upload(ent.token, over, "big.pdf");
    expectStatus(res as any, 413, "UPLOAD_TOO_LARGE");
    expect(res.body.error.message).to.include("10 MB");
    expect(await records()).to.equal(before);
    expect(await filesOnDisk()).to.deep.equal(filesBefore);
    const exact = await upload(ent.token, over.subarray(0, 10 * MB), "exact.pdf");
    expectStatus(exact as any, 201);
    expect(exact.body.size).to.equal(10 * MB);
  });

  it("answers 413 for a body far beyond the limit without reading all of it", async () => {
    const huge = Buffer.alloc(60 * MB, 0x20);
    expectStatus((await upload(ent.token, huge, "huge.pdf")) as any, 413, "UPLOAD_TOO_LARGE");
  });

  it("answers 415 UPLOAD_NOT_MULTIPART for JSON, 422 UPLOAD_FILE_MISSING without the file field, 400 for a broken form", async () => {
    expectStatus(await api.post("/api/uploads", { file: "x" }, { token: ent.token }), 415, "UPLOAD_NOT_MULTIPART");
    expectStatus((await upload(ent.token, PDF, "a.pdf", { field: "document" })) as any, 422, "UPLOAD_FILE_MISSING");
    const broken = await api.call("POST", "/api/uploads", { token: ent.token, raw: "--x\r\nnot a part", headers: { "content-type": "multipart/form-data; boundary=x" } });
    expectStatus(broken, 400, "BAD_REQUEST");
    expectStatus((await upload(undefined, PDF, "a.pdf")) as any, 401, "UNAUTHENTICATED");
  });

  it("leaves no file behind when the record cannot be written", async () => {
    const filesBefore = await filesOnDisk();
    const uploads = t.server.services.uploads as unknown as { m: { create: (doc: unknown) => Promise<unknown> } };
    const real = uploads.m.create;
    uploads.m.create = async () => {
      throw new Error("database went away");
    };
    try {
      expect((await upload(ent.token, PDF, "a.pdf")).status).to.equal(500);
    } finally {
      uploads.m.create = real;
    }
    expect(await filesOnDisk()).to.deep.equal(filesBefore);
  });

  it("sweeps files a crash left without a record once they are an hour old, and keeps recorded ones", async () => {
    const kept = (await upload(ent.token, PDF, "kept.pdf")).body.id as string;
    const orphan = "f".repeat(32);
    const part = `${"e".repeat(32)}.part`;
    await writeFile(path.join(uploadDir(), orphan), PDF);
    await writeFile(path.join(uploadDir(), part), PDF);
    const anHourAgo = new Date(Date.now() - 61 * 60_000);
    for (const name of [kept, orphan, part]) await utimes(path.join(uploadDir(), name), anHourAgo, anHourAgo);
    const fresh = "d".repeat(32);
    await writeFile(path.join(uploadDir(), fresh), PDF);
    await t.server.services.uploads.sweep();
    const left = await filesOnDisk();
    expect(left).to.include(kept).and.include(fresh);
    expect(left).to.not.include(orphan);
    expect(left).to.not.include(part);
  });
});
