// The provincial data exchange ("一次申请", issue 12): a month's registrations, vouchers, claims and
// settlement in the documented format (docs/exchange.md), and the outbox of change records a
// connector pulls: every record exactly once, in order, the same on a re-pull, even when writes
// race and commit out of order, when a writer dies holding a number, or between its two inserts.
import { expect } from "chai";
import { DateTime } from "luxon";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { publishInstrument } from "../factories/catalog";
import { atTime } from "../support/clock";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";
import { afterMonth, as, at, claimBody, completedVoucher, evidence } from "../support/voucher-flow";
import { auditModels, type ChangeDoc } from "../../server/modules/audit/model";
import { ChangeLog } from "../../server/modules/audit/change-log";
import { Journal } from "../../server/modules/audit/journal";
import { AuditRecorder } from "../../server/modules/audit/recorder";
import { repairJournal } from "../../server/modules/audit/repair";
import type { OutboxPage, OutboxRecord } from "../../shared/schemas/exchange";

const PRICE_FEN = 1_000_000;
const ZONE = "Asia/Shanghai";
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toISO();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the provincial data exchange", function () {
  this.timeout(600_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: { token: string; id: string };
  let provider: TestUser;
  let ent: TestUser;
  const idle = async () => {
    await t.server.services.vouchers.idle();
    await t.server.services.auditRecorder.idle();
  };
  const pull = async (after: number, limit = 7): Promise<OutboxPage> => {
    const res = await api.get(`/api/exchange/outbox?after=${after}&limit=${limit}`, as(bureau));
    expectStatus(res, 200);
    return res.body;
  };
  /** Every page from `after` until the outbox has nothing ready. */
  const pullAll = async (after: number) => {
    const pages: OutboxPage[] = [];
    for (let cursor = after; ; ) {
      const page = await pull(cursor);
      pages.push(page);
      cursor = page.next;
      if (page.records.length === 0) return pages;
    }
  };
  const exportOf = async (query: string) => {
    const res = await fetch(`${t.baseUrl}/api/exchange/export?${query}`, { headers: { authorization: `Bearer ${bureau.token}` } });
    return { status: res.status, type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
  };

  before(async () => {
    t = await startTestServer("exchange");
    api = apiClient(t.baseUrl);
    const token = await login(api, t.admin.email, t.admin.password);
    bureau = { token, id: (await api.get("/api/me", { token })).body.user.id };
    provider = await orgAdmin(api, "provider", token);
    ent = await orgAdmin(api, "enterprise", token);
  });
  after(() => t?.stop());

  it("exports a month's registrations, vouchers, claims and its settlement field for field, in JSON and CSV", async () => {
    const instrumentId = (await publishInstrument(api, provider, { capacity: 10, priceFen: PRICE_FEN })).id;
    const v = await completedVoucher(t, api, ent, provider, instrumentId, PRICE_FEN);
    const pack = await evidence(t.baseUrl, ent);
    const claims = t.server.services.claims;
    const filed = await atTime(claims, v.completedAt + 1000, () => api.post("/api/claims", claimBody(v.voucherId, pack), as(ent)));
    expectStatus(filed, 201);
    expectStatus(await atTime(claims, at("2031-03"), () => api.post(`/api/claims/${filed.body.id}/review`, { decision: "approve" }, as(bureau))), 200);
    const settled = await atTime(claims, afterMonth("2031-03"), () => api.post("/api/settlements", { period: "2031-03" }, as(bureau)));
    expectStatus(settled, 201);
    await idle();

    const [e, p] = [(await api.get(`/api/enterprises/${ent.orgId}`, as(bureau))).body, (await api.get(`/api/providers/${provider.orgId}`, as(bureau))).body];
    const registered = DateTime.fromISO(e.createdAt, { zone: ZONE }).toFormat("yyyy-MM");
    const regs = JSON.parse((await exportOf(`period=${registered}&kind=registrations`)).bytes.toString());
    expect(regs).to.include({ format: "labshare-exchange/1", period: registered });
    expect(regs.registrations).to.deep.equal([
      { id: ent.orgId, orgType: "enterprise", name: e.name, creditCode: e.creditCode, county: "linqing", industry: "bearings", size: "small", providerKind: null, status: "approved", round: 1, actualController: null, registeredAt: local(e.createdAt), reviewedAt: local(e.reviewedAt), reviewReason: null, version: 2 },
      { id: provider.orgId, orgType: "provider", name: p.name, creditCode: null, county: "dongchangfu", industry: null, size: null, providerKind: "municipal_lab", status: "approved", round: 1, actualController: null, registeredAt: local(p.createdAt), reviewedAt: local(p.reviewedAt), reviewReason: null, version: 2 },
    ].sort((a, b) => a.registeredAt!.localeCompare(b.registeredAt!) || a.id!.localeCompare(b.id!)));

    const voucher = (await api.get("/api/vouchers", as(ent))).body.items.find((x: { id: string }) => x.id === v.voucherId);
    const vouchers = JSON.parse((await exportOf(`period=${voucher.period}&kind=vouchers&format=json`)).bytes.toString()).vouchers;
    expect(vouchers).to.deep.equal([{
      id: v.voucherId, bookingId: v.bookingId, enterpriseId: ent.orgId, providerId: provider.orgId, county: "linqing", status: "redeemed",
      faceValueFen: 900_000, provinceFen: 600_000, cityFen: 300_000, listPriceFen: 1_000_000, reasons: [], year: voucher.year, period: voucher.period,
      policyId: "2000-01-01", issuedAt: local(voucher.issuedAt), voidedAt: null, voidReason: null, version: 3,
    }]);

    const claim = (await api.get(`/api/claims/${filed.body.id}`, as(bureau))).body;
    const month = DateTime.fromISO(claim.submittedAt, { zone: ZONE }).toFormat("yyyy-MM");
    const claimRecord = {
      id: claim.id, voucherId: v.voucherId, bookingId: v.bookingId, enterpriseId: ent.orgId, providerId: provider.orgId, county: "linqing", status: "approved",
      invoiceNo: "37001234", contractNo: "HT-2026-001", contractAmountFen: 1_000_000, amountFen: 900_000, provinceFen: 600_000, cityFen: 300_000, enterpriseFen: 100_000,
      faceValueFen: 900_000, policyId: "2000-01-01", completedAt: local(claim.completedAt), deadline: local(claim.deadline), submittedAt: local(claim.submittedAt),
      lastSubmittedAt: local(claim.lastSubmittedAt), decidedAt: "2031-03-15T12:00:00.000+08:00", approvedPeriod: "2031-03", reason: null, version: 2,
    };
    expect(JSON.parse((await exportOf(`period=${month}&kind=claims`)).bytes.toString()).claims).to.deep.equal([claimRecord]);

    const lines = (amount: number, kind: string, payeeKind: string, payeeId: string, payeeName: string, source: string, lineNo: number) => ({
      settlementId: "2031-03", period: "2031-03", lineNo, kind, payeeKind, payeeId, payeeName, amountFen: amount, source, claimId: claim.id, voucherId: v.voucherId, awardId: null,
    });
    const all = JSON.parse((await atTime(t.server.services.exchangeExport, afterMonth("2031-03"), () => exportOf("period=2031-03"))).bytes.toString());
    expect(Object.keys(all)).to.deep.equal(["format", "period", "generatedAt", "registrations", "vouchers", "claims", "settlements"]);
    expect(all.settlements).to.deep.equal([{
      id: "2031-03", period: "2031-03", createdAt: local(settled.body.createdAt), createdBy: bureau.id,
      provinceFen: 600_000, cityFen: 350_000, totalFen: 950_000, voucherSubsidyFen: 900_000, providerSubsidyFen: 50_000, awardMatchFen: 0, claims: 1, awards: 0,
      lines: [
        lines(600_000, "voucher_subsidy", "enterprise", ent.orgId!, e.name, "province", 1),
        lines(300_000, "voucher_subsidy", "enterprise", ent.orgId!, e.name, "city", 2),
        lines(50_000, "provider_subsidy", "provider", provider.orgId!, p.name, "city", 3),
      ],
    }]);

    const csv = await exportOf(`period=${month}&kind=claims&format=csv`);
    expect(csv.type).to.match(/^text\/csv; charset=utf-8/);
    expect([...csv.bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const rows = csv.bytes.subarray(3).toString("utf8").split("\r\n");
    expect(rows[0]).to.equal(Object.keys(claimRecord).join(","));
    expect(rows[1]).to.equal(Object.values(claimRecord).map((x) => (x === null ? "" : String(x))).join(","));
    expect(rows.slice(2)).to.deep.equal([""]);
    const settlementCsv = (await atTime(t.server.services.exchangeExport, afterMonth("2031-03"), () => exportOf("period=2031-03&kind=settlements&format=csv"))).bytes.subarray(3).toString("utf8").split("\r\n");
    expect(settlementCsv[0]).to.equal("settlementId,period,lineNo,kind,payeeKind,payeeId,payeeName,amountFen,source,claimId,voucherId,awardId");
    expect(settlementCsv[3]).to.equal(`2031-03,2031-03,3,provider_subsidy,provider,${provider.orgId},${p.name},50000,city,${claim.id},${v.voucherId},`);

    // The outbox carries the same records as the changes happened.
    const pages = await pullAll(0);
    const approvedChange = pages.flatMap((x) => x.records).find((r) => r.kind === "claim.approved" && r.subjectId === claim.id)!;
    expect(approvedChange.record).to.deep.equal({ ...claimRecord, status: "approved" });
    expect(approvedChange).to.include({ actorId: bureau.id, amountFen: 900_000, at: "2031-03-15T12:00:00.000+08:00" });
  });

  it("serves 200 concurrent writes, from two writers whose numbers interleave and whose inserts land out of order, exactly once and in order to a connector pulling pages of 7 meanwhile; a re-pull is identical", async () => {
    const { journal, outbox } = t.server.services;
    outbox.graceMs = 400;
    const start = (await pullAll(0)).at(-1)!.next;
    const providers = [await orgAdmin(api, "provider", bureau.token), await orgAdmin(api, "provider", bureau.token)];
    // A second process with its own counter and recorder on the same database journals the second
    // provider's awards (as if they had been recorded through it); this process the first's.
    const m = auditModels(t.db.conn);
    const second = new Journal(m, new ChangeLog(m), t.db.conn);
    const secondRecorder = new AuditRecorder(second);
    const isSecond = (collection: string, doc: Record<string, unknown>) => collection === "awards" && String(doc._id).startsWith(`${providers[1]!.orgId}:`);
    type Enqueue = (collection: string, doc: Record<string, unknown>, attempt?: number) => void;
    const recorders = [t.server.services.auditRecorder, secondRecorder] as unknown as { enqueue: Enqueue }[];
    const enqueue = recorders.map((r) => r.enqueue.bind(r));
    recorders[0]!.enqueue = (c, d, a) => (isSecond(c, d) ? undefined : enqueue[0]!(c, d, a));
    recorders[1]!.enqueue = (c, d, a) => (isSecond(c, d) ? enqueue[1]!(c, d, a) : undefined);
    const unfollow = secondRecorder.follow(t.db.conn);
    // Inserts that take 0–60 ms after their number was taken: later numbers often land first.
    const logs = [journal.log, second.log];
    const real = logs.map((l) => l.insert.bind(l));
    logs.forEach((l, k) => (l.insert = async (doc: ChangeDoc) => { await sleep(Math.random() * 60); return real[k]!(doc); }));

    let writing = true;
    const writes = Promise.all(providers.flatMap((prov) => Array.from({ length: 100 }, (_, k) =>
      api.post("/api/awards", { providerId: prov.orgId, year: 2000 + k, provincialAwardFen: 100_000 + k }, as(bureau)))))
      .then(async (results) => {
        await Promise.all([t.server.services.auditRecorder.idle(), secondRecorder.idle()]);
        writing = false;
        return results;
      });
    const served: OutboxRecord[] = [];
    let cursor = start;
    for (let quiet = 0; writing || quiet < 3; ) {
      const page = await pull(cursor);
      served.push(...page.records);
      cursor = page.next;
      if (page.records.length === 0 && !writing) quiet++;
      if (page.records.length === 0) await sleep(writing ? 5 : outbox.graceMs);
    }
    const results = await writes;
    expect(results.filter((r) => r.status === 201)).to.have.length(200);
    unfollow();
    delete (recorders[0] as unknown as Record<string, unknown>).enqueue;
    logs.forEach((l) => delete (l as unknown as Record<string, unknown>).insert);

    const awards = served.filter((r) => r.kind === "award.recorded" && providers.some((p) => p.orgId === r.subjectId.split(":")[0]));
    expect(awards).to.have.length(200);
    expect(new Set(served.map((r) => r.id)).size, "no record twice").to.equal(served.length);
    const seqs = served.map((r) => r.seq);
    expect(seqs, "in number order").to.deep.equal([...seqs].sort((a, b) => a - b));
    expect(new Set(awards.map((r) => r.subjectId)).size).to.equal(200);
    // The two writers' numbers interleave: both took numbers among the same range.
    const bySecond = awards.filter((r) => r.subjectId.startsWith(`${providers[1]!.orgId}:`)).map((r) => r.seq);
    const byFirst = awards.filter((r) => r.subjectId.startsWith(`${providers[0]!.orgId}:`)).map((r) => r.seq);
    expect(Math.min(...bySecond)).to.be.lessThan(Math.max(...byFirst));
    expect(Math.min(...byFirst)).to.be.lessThan(Math.max(...bySecond));

    const again = await pullAll(start);
    expect(again.flatMap((p) => p.records)).to.deep.equal(served);
    const third = await pullAll(start);
    expect(third).to.deep.equal(again);
    // Each page re-read from its own cursor is the same page.
    let from = start;
    for (const page of again) {
      expect(await pull(from)).to.deep.equal(page);
      from = page.next;
    }
  });

  it("does not pass a slow writer's number: the page ends before it until its record lands, then serves it", async () => {
    const { journal, outbox } = t.server.services;
    outbox.graceMs = 60_000;
    const start = (await pullAll(0)).at(-1)!.next;
    // This process's counter starts again from the head (the other writer of the last test moved it on).
    (journal.log as unknown as { next: number }).next = 0;
    const real = journal.log.insert.bind(journal.log);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let first = true;
    journal.log.insert = async (doc: ChangeDoc) => {
      if (first) {
        first = false;
        await held;
      }
      return real(doc);
    };
    const slow = api.post("/api/awards", { providerId: provider.orgId, year: 2090, provincialAwardFen: 1 }, as(bureau));
    await sleep(200);
    const fast = await api.post("/api/awards", { providerId: provider.orgId, year: 2091, provincialAwardFen: 2 }, as(bureau));
    expectStatus(fast, 201);
    await sleep(300);
    const blocked = await pull(start).finally(release);
    expect(blocked.records, "nothing past the hole").to.deep.equal([]);
    expect(blocked.next).to.equal(start);
    expectStatus(await slow, 201);
    await idle();
    delete (journal.log as unknown as Record<string, unknown>).insert;
    const page = await pull(start);
    expect(page.records.map((r) => r.subjectId)).to.deep.equal([`${provider.orgId}:2090`, `${provider.orgId}:2091`]);
    outbox.graceMs = 5_000;
  });

  it("closes the hole of a writer that died holding a number once the grace period is over, and serves what follows it", async () => {
    const { journal, outbox } = t.server.services;
    outbox.graceMs = 500;
    const start = (await pullAll(0)).at(-1)!.next;
    // The dead writer took start + 1; the next record lands at start + 2.
    (journal.log as unknown as { next: number }).next = start + 2;
    expectStatus(await api.post("/api/awards", { providerId: provider.orgId, year: 2070, provincialAwardFen: 7 }, as(bureau)), 201);
    await idle();
    expect((await pull(start)).records, "within the grace period the hole may still fill").to.deep.equal([]);
    await sleep(600);
    const page = await pull(start);
    expect(page.records.map((r) => [r.seq, r.subjectId])).to.deep.equal([[start + 2, `${provider.orgId}:2070`]]);
    expect(await journal.m.changes.findById(start + 1).lean()).to.include({ gap: true });
    // A writer that comes back with that number now loses it to the gap and takes a later one.
    expect(await journal.log.closeGap(start + 1)).to.include({ gap: true });
    expect(await pull(start)).to.deep.equal(page);
    outbox.graceMs = 5_000;
  });

  it("serves once a record whose writer died between its change-log insert and its journal entry, and the repair pass adds none", async () => {
    const { journal, auditRecorder } = t.server.services;
    const start = (await pullAll(0)).at(-1)!.next;
    const recorder = auditRecorder as unknown as { enqueue: (...a: unknown[]) => void };
    const real = recorder.enqueue;
    recorder.enqueue = () => {};
    const award = await api.post("/api/awards", { providerId: provider.orgId, year: 2080, provincialAwardFen: 5 }, as(bureau));
    recorder.enqueue = real;
    expectStatus(award, 201);
    // What the dead writer got done: the change-log record, not the journal entry.
    const doc = await t.db.conn.collection("awards").findOne({ _id: award.body.id });
    const { describe, journalKey } = await import("../../server/modules/audit/describe");
    const key = journalKey("awards", award.body.id);
    await journal.log.append(key, (await describe("awards", doc as never, journal.reads))!);
    expect(await journal.m.journal.exists({ _id: key })).to.equal(null);

    const pages = await pullAll(start);
    expect(pages.flatMap((p) => p.records).map((r) => r.id)).to.deep.equal([key]);
    expect((await repairJournal(t.db.conn, journal)).keys).to.deep.equal([]);
    expect((await pullAll(pages.at(-1)!.next)).flatMap((p) => p.records)).to.deep.equal([]);
    expect((await api.get(`/api/audit?subject=${award.body.id}`, as(bureau))).body.total).to.equal(1);
  });

  it("refuses bad input with stable codes, and everyone but the bureau", async () => {
    for (const q of ["after=-1", "after=abc", "limit=0", "limit=501", "after=1.5", "nope=1"]) expectStatus(await api.get(`/api/exchange/outbox?${q}`, as(bureau)), 400, "VALIDATION_FAILED");
    for (const q of ["", "period=2031-13", "period=2031-03&kind=bookings", "period=2031-03&format=xml"]) expectStatus(await api.get(`/api/exchange/export?${q}`, as(bureau)), 400, "VALIDATION_FAILED");
    expectStatus(await api.get("/api/exchange/export?period=2031-03&format=csv", as(bureau)), 400, "EXCHANGE_KIND_REQUIRED");
    expectStatus(await api.get("/api/exchange/export?period=2099-01", as(bureau)), 422, "EXCHANGE_PERIOD_FUTURE");
    expectStatus(await api.get("/api/exchange/outbox", as(ent)), 403, "FORBIDDEN");
    expectStatus(await api.get("/api/exchange/export?period=2031-03", as(provider)), 403, "FORBIDDEN");
    expectStatus(await api.get("/api/exchange/outbox"), 401, "UNAUTHENTICATED");
  });
});
