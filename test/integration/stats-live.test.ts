// The live view (issue 12) over the real server and real sockets: GET /api/stats/live and the
// `utilization:update` stream. Instruments in use, booked today, in maintenance and idle at a known
// instant; bookings and vouchers of today per scope; a provider sees only its own; 1,000 bookings in
// a burst give far fewer snapshots and the last one is exact; a reconnect resynchronizes; bad
// subscriptions are refused with a code.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { DateTime } from "luxon";
import { io as connect, type Socket } from "socket.io-client";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "../../shared/events";
import type { LiveSnapshot } from "../../shared/schemas/stats-live";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { atTime } from "../support/clock";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";
import { as } from "../support/voucher-flow";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type AckAnswer = Parameters<Ack>[0];

/** Open around the clock in UTC, hourly, confirmed at once (no provider confirmation). */
function instrumentBody(rules: object = { requiresConfirmation: false }) {
  return {
    name: `电子万能试验机 ${randomBytes(3).toString("hex")}`,
    category: "physical_property",
    priceFen: 20_000,
    priceUnit: "hour",
    timezone: "UTC",
    slotMinutes: 60,
    openHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })),
    originalValueFen: 100_000_000,
    rules,
  };
}

/** Two days ahead, 10:30 UTC: the instant the instrument states are checked at. */
const DAY = DateTime.utc().plus({ days: 2 }).startOf("day");
const AT = DAY.set({ hour: 10, minute: 30 }).toMillis();

describe("the live view (GET /api/stats/live, utilization:update)", function () {
  this.timeout(300_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: { token: string };
  let ent: TestUser;
  let p: TestUser;
  let q: TestUser;
  const inst = { inUse: "", later: "", maint: "", idle: "", q: "" };
  const open: ClientSocket[] = [];

  const publish = async (owner: TestUser, rules?: object) => {
    const res = await api.post("/api/instruments", instrumentBody(rules), as(owner));
    expectStatus(res, 201);
    return res.body.id as string;
  };
  const book = async (instrumentId: string, start: DateTime, extra: object = {}, who: TestUser = ent) => {
    const res = await api.post("/api/bookings", { instrumentId, start: start.toISO(), end: start.plus({ hours: 1 }).toISO(), ...extra }, as(who));
    expectStatus(res, 201);
    return res.body.id as string;
  };
  const socket = async (token: string, reconnection = false) => {
    const s: ClientSocket = connect(t.baseUrl, { transports: ["websocket"], reconnection, reconnectionDelay: 100, auth: { token } });
    open.push(s);
    await new Promise<void>((resolve, reject) => {
      s.once("connect", () => resolve());
      s.once("connect_error", reject);
    });
    return s;
  };
  const subscribe = (s: ClientSocket, payload: unknown) =>
    (s.timeout(5000).emitWithAck as (e: string, p: unknown) => Promise<AckAnswer>)("utilization:subscribe", payload);
  /** Collects every snapshot a socket receives. */
  const record = (s: ClientSocket) => {
    const got: LiveSnapshot[] = [];
    s.on("utilization:update", (snap) => got.push(snap));
    return got;
  };
  const until = async (check: () => boolean, ms: number) => {
    const end = Date.now() + ms;
    while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    return check();
  };
  const live = (who: { token: string }, query = "") => api.get(`/api/stats/live${query}`, as(who));

  before(async () => {
    t = await startTestServer("stats_live");
    api = apiClient(t.baseUrl);
    bureau = { token: await login(api, t.admin.email, t.admin.password) };
    [p, q, ent] = await Promise.all([orgAdmin(api, "provider", bureau.token), orgAdmin(api, "provider", bureau.token), orgAdmin(api, "enterprise", bureau.token)]);
    // The voucher is issued when P confirms (a booking confirmed on creation has none).
    inst.inUse = await publish(p, { requiresConfirmation: true });
    for (const k of ["later", "maint", "idle"] as const) inst[k] = await publish(p);
    inst.q = await publish(q);
    const withVoucher = await book(inst.inUse, DAY.set({ hour: 10 }), { useVoucher: true });
    expectStatus(await api.post(`/api/bookings/${withVoucher}/confirm`, {}, as(p)), 200);
    await book(inst.later, DAY.set({ hour: 15 }));
    await book(inst.q, DAY.set({ hour: 9 }));
    const w = DAY.set({ hour: 10 });
    expectStatus(await api.post(`/api/instruments/${inst.maint}/blackouts`, { start: w.toISO(), end: w.plus({ hours: 2 }).toISO(), reason: "年度检定" }, as(p)), 201);
    await t.server.services.vouchers.idle();
  });
  afterEach(() => open.splice(0).forEach((s) => s.disconnect()));
  after(() => t?.stop());

  it("puts each instrument in one state at an instant: in maintenance, in use, booked on its day, or idle", async () => {
    const res = await atTime(t.server.services.live, AT, () => live(p));
    expectStatus(res, 200);
    expect(res.body).to.include({ scope: p.orgId, instruments: 4, inMaintenance: 1, instrumentsInUse: 1, bookedToday: 1, idle: 1 });
    // At that instant it is another platform day: nothing was booked on it.
    expect(res.body).to.include({ bookingsToday: 0, vouchersIssuedToday: 0 });
    expect(res.body.latest).to.deep.equal([]);
  });

  it("counts today's bookings and vouchers per scope: the bureau all, a provider its own", async () => {
    const all = await live(bureau);
    expectStatus(all, 200);
    expect(all.body).to.include({ scope: "bureau", instruments: 5, bookingsToday: 3, bookingsTodayAmountFen: 60_000, vouchersIssuedToday: 1 });
    expect(all.body.latest).to.have.length(3);
    const own = await live(p);
    expect(own.body).to.include({ scope: p.orgId, instruments: 4, bookingsToday: 2, vouchersIssuedToday: 1 });
    expect(own.body.latest.map((b: { title: string }) => b.title)).to.have.length(2);
    expect(own.body.latest[0].number > own.body.latest[1].number, "newest first").to.equal(true);
    const other = await live(q);
    expect(other.body).to.include({ bookingsToday: 1, vouchersIssuedToday: 0, instruments: 1 });
    expect((await live(bureau, `?providerId=${q.orgId}`)).body).to.deep.include({ scope: q.orgId, bookingsToday: 1 });
    expectStatus(await live(p, `?providerId=${q.orgId}`), 403, "FORBIDDEN");
    expectStatus(await live(ent), 403, "FORBIDDEN");
    expectStatus(await live(bureau, "?scope=all"), 400, "VALIDATION_FAILED");
  });

  it("answers a subscription with a snapshot and pushes a provider only its own instruments' changes", async () => {
    const [ps, bs] = await Promise.all([socket(p.token), socket(bureau.token)]);
    const [pGot, bGot] = [record(ps), record(bs)];
    expect(await subscribe(ps, {})).to.deep.equal({ ok: true });
    expect(await subscribe(bs, {})).to.deep.equal({ ok: true });
    expect(pGot).to.have.length(1);
    expect(pGot[0]).to.deep.include({ scope: p.orgId, bookingsToday: 2 });
    expect(bGot[0]).to.deep.include({ scope: "bureau", bookingsToday: 3 });

    const qBooking = await book(inst.q, DAY.set({ hour: 12 }));
    expect(await until(() => bGot.at(-1)?.bookingsToday === 4, 3000), "the bureau hears Q's booking").to.equal(true);
    expect(bGot.at(-1)!.latest[0]!.id).to.equal(qBooking);
    await new Promise((r) => setTimeout(r, 800));
    expect(pGot, "P hears nothing of Q's booking").to.have.length(1);

    const pBooking = await book(inst.idle, DAY.set({ hour: 20 }));
    expect(await until(() => pGot.length === 2, 3000), "P hears its own booking").to.equal(true);
    expect(pGot[1]).to.deep.include({ bookingsToday: 3 });
    expect(pGot[1]!.latest[0]!.id).to.equal(pBooking);
  });

  it("refuses bad subscriptions with a code: malformed payloads, another provider's scope, an enterprise", async () => {
    const ps = await socket(p.token);
    for (const bad of [{ providerId: 5 }, { scope: "bureau" }, "bureau", null, { providerId: "<script>" }]) {
      const answer = await subscribe(ps, bad);
      expect(answer, JSON.stringify(bad)).to.deep.include({ ok: false });
      expect((answer as { error: { code: string } }).error.code, JSON.stringify(bad)).to.equal("VALIDATION_FAILED");
    }
    const other = await subscribe(ps, { providerId: q.orgId });
    expect(other).to.deep.include({ ok: false });
    expect((other as { error: { code: string } }).error.code).to.equal("FORBIDDEN");
    const es = await socket(ent.token);
    const refused = await subscribe(es, {});
    expect((refused as { error: { code: string } }).error.code).to.equal("FORBIDDEN");
    const got = record(es);
    await book(inst.q, DAY.set({ hour: 13 }));
    await new Promise((r) => setTimeout(r, 800));
    expect(got, "a refused subscriber hears nothing").to.have.length(0);
  });

  it("resynchronizes after a reconnect: the client subscribes again and gets a fresh snapshot", async () => {
    const s = await socket(bureau.token, true);
    const got = record(s);
    s.on("connect", () => void subscribe(s, {}));
    expect(await subscribe(s, {})).to.deep.equal({ ok: true });
    const before = got.at(-1)!.bookingsToday;
    const reconnected = new Promise<void>((resolve) => s.io.once("reconnect", () => resolve()));
    s.io.engine.close(); // the transport drops; the client reconnects by itself
    const missed = await book(inst.q, DAY.set({ hour: 14 }));
    await reconnected;
    expect(await until(() => got.at(-1)?.bookingsToday === before + 1, 3000), "a snapshot with the booking made meanwhile").to.equal(true);
    expect(got.at(-1)!.latest[0]!.id).to.equal(missed);
  });

  it("coalesces a burst of 1,000 bookings into far fewer snapshots, the last of them exact", async function () {
    const r = await orgAdmin(api, "provider", bureau.token);
    const rInstruments: string[] = [];
    for (let k = 0; k < 5; k++) rInstruments.push(await publish(r));
    const [bs, rs] = await Promise.all([socket(bureau.token), socket(r.token)]);
    const [bGot, rGot] = [record(bs), record(rs)];
    expect(await subscribe(bs, {})).to.deep.equal({ ok: true });
    expect(await subscribe(rs, {})).to.deep.equal({ ok: true });
    const base = bGot.at(-1)!.bookingsToday;
    const first = DateTime.utc().plus({ days: 3 }).startOf("day");
    const jobs = Array.from({ length: 1000 }, (_, k) => () => book(rInstruments[k % 5]!, first.plus({ hours: Math.floor(k / 5) })));
    const started = Date.now();
    let next = 0;
    await Promise.all(Array.from({ length: 25 }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }));
    const burstMs = Date.now() - started;
    const settled = await until(() => bGot.at(-1)?.bookingsToday === base + 1000 && rGot.at(-1)?.bookingsToday === 1000, 5000);
    expect(settled, `the last snapshots count every booking: ${bGot.at(-1)?.bookingsToday} of ${base + 1000}, ${rGot.at(-1)?.bookingsToday} of 1000, fresh ${(await live(bureau)).body.bookingsToday}`).to.equal(true);
    await new Promise((r) => setTimeout(r, 1000)); // nothing more is owed
    const bureauSnapshots = bGot.length - 1;
    const providerSnapshots = rGot.length - 1;
    console.log(`      1,000 bookings in ${burstMs} ms → ${bureauSnapshots} bureau and ${providerSnapshots} provider snapshots`);
    expect(bureauSnapshots).to.be.below(Math.max(20, burstMs / 250));
    expect(bureauSnapshots).to.be.below(100);
    expect(providerSnapshots).to.be.below(100);
    // Exact: equal to a fresh computation (only its instant differs).
    const fresh = (await live(bureau)).body as LiveSnapshot;
    expect({ ...bGot.at(-1)!, at: "" }).to.deep.equal({ ...fresh, at: "" });
    const freshR = (await live(r)).body as LiveSnapshot;
    expect({ ...rGot.at(-1)!, at: "" }).to.deep.equal({ ...freshR, at: "" });
    expect(freshR.latest).to.have.length(10);
    // What one snapshot costs with 1,000+ bookings today (reported, not asserted: the machine is shared).
    const times: number[] = [];
    for (let k = 0; k < 15; k++) {
      const t0 = performance.now();
      expectStatus(await live(bureau), 200);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`      GET /api/stats/live with ${freshR.bookingsToday} bookings today: median ${times[7]!.toFixed(0)} ms, max ${times[14]!.toFixed(0)} ms`);
  });
});
