// Utilization per group (issue 12, GET /api/stats/utilization) against the real database and HTTP
// server: a fixture of known calendars, maintenance windows and bookings — in Shanghai, in Kolkata
// (UTC+05:30) and in Berlin over the spring-forward night — gives exact open and booked hours; a
// provider sees only its own instruments; bad input answers 400 with a stable code.
import { expect } from "chai";
import { DateTime } from "luxon";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { publishInstrument } from "../factories/catalog";
import { atTime } from "../support/clock";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";
import { as } from "../support/voucher-flow";

/** Bookings are made on 2031-03-20 (the scheduling clock); the report covers Monday 24 – Sunday 30 March 2031. */
const BOOKED_ON = DateTime.fromISO("2031-03-20T12:00", { zone: "Asia/Shanghai" }).toMillis();
const RANGE = "from=2031-03-24&to=2031-03-30";
const local = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toISO()!;
const WEEKDAYS = [1, 2, 3, 4, 5];

describe("utilization per instrument, provider, category and county", function () {
  this.timeout(180_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: { token: string };
  let p: TestUser;
  let q: TestUser;
  let ent: TestUser;
  const ids = { shanghai: "", berlin: "", kolkata: "", other: "" };

  const book = async (instrumentId: string, start: string, end: string) => {
    const res = await atTime(t.server.services.scheduling, BOOKED_ON, () => api.post("/api/bookings", { instrumentId, start, end }, as(ent)));
    expectStatus(res, 201);
    return res.body.id as string;
  };
  const act = (id: string, action: string, body: object = {}, when = BOOKED_ON) =>
    atTime(t.server.services.scheduling, when, () => api.post(`/api/bookings/${id}/${action}`, body, as(p))).then((res) => expectStatus(res, 200));

  before(async () => {
    t = await startTestServer("stats_utilization");
    api = apiClient(t.baseUrl);
    bureau = { token: await login(api, t.admin.email, t.admin.password) };
    p = await orgAdmin(api, "provider", bureau.token);
    q = await orgAdmin(api, "provider", bureau.token);
    ent = await orgAdmin(api, "enterprise", bureau.token);
    const hourly = { slotMinutes: 60 };
    // Shanghai, weekdays 08:00–12:00 and 13:00–17:00: 40 h in the week, 38 h after a 2-hour maintenance window.
    ids.shanghai = (await publishInstrument(api, p, { ...hourly, category: "analytical", openHours: WEEKDAYS.flatMap((weekday) => [{ weekday, start: "08:00", end: "12:00" }, { weekday, start: "13:00", end: "17:00" }]) })).id;
    // Berlin, round the clock: 7 × 24 h − the hour that does not exist on 30 March 2031 = 167 h.
    ids.berlin = (await publishInstrument(api, p, { ...hourly, category: "physical_property", timezone: "Europe/Berlin", openHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })) })).id;
    // Kolkata (UTC+05:30), two units, weekdays 09:00–11:00: 5 × 2 h × 2 units = 20 unit-hours.
    ids.kolkata = (await publishInstrument(api, p, { ...hourly, category: "physical_property", timezone: "Asia/Kolkata", capacity: 2, openHours: WEEKDAYS.map((weekday) => ({ weekday, start: "09:00", end: "11:00" })) })).id;
    // Q's instrument, never booked: weekdays 08:00–18:00 = 50 h.
    ids.other = (await publishInstrument(api, q, { ...hourly, category: "analytical", openHours: WEEKDAYS.map((weekday) => ({ weekday, start: "08:00", end: "18:00" })) })).id;

    const sh = (iso: string) => local(iso, "Asia/Shanghai");
    expectStatus(await api.post(`/api/instruments/${ids.shanghai}/blackouts`, { start: sh("2031-03-26T10:00"), end: sh("2031-03-26T12:00"), reason: "校准" }, as(p)), 201);
    const confirmed = await book(ids.shanghai, sh("2031-03-24T08:00"), sh("2031-03-24T10:00")); // 2 h
    await act(confirmed, "confirm");
    const completed = await book(ids.shanghai, sh("2031-03-25T13:00"), sh("2031-03-25T16:00")); // 3 h
    await act(completed, "confirm");
    const startMs = Date.parse(sh("2031-03-25T13:00"));
    await act(completed, "check-in", {}, startMs);
    await act(completed, "complete", { contractAmountFen: 50_000, reportNumber: "R-1" }, startMs + 3_600_000);
    await book(ids.shanghai, sh("2031-03-28T16:00"), sh("2031-03-28T17:00")); // pending: 1 h
    const cancelled = await book(ids.shanghai, sh("2031-03-27T09:00"), sh("2031-03-27T10:00"));
    await act(cancelled, "cancel", { reason: "设备调整" }); // released: 0 h
    await book(ids.shanghai, sh("2031-03-31T08:00"), sh("2031-03-31T09:00")); // after the range
    // Berlin 01:00–04:00 local on the spring-forward night: 2 real hours.
    await book(ids.berlin, local("2031-03-30T01:00", "Europe/Berlin"), local("2031-03-30T04:00", "Europe/Berlin"));
    // Both Kolkata units, 09:00–11:00 local on Monday: 4 unit-hours.
    const kol = (iso: string) => local(iso, "Asia/Kolkata");
    await book(ids.kolkata, kol("2031-03-24T09:00"), kol("2031-03-24T11:00"));
    await book(ids.kolkata, kol("2031-03-24T09:00"), kol("2031-03-24T11:00"));
  });
  after(() => t?.stop());

  const get = (query: string, who: { token: string } = bureau) => api.get(`/api/stats/utilization?${query}`, as(who));

  it("gives each instrument's open hours in its own zone minus maintenance, and the hours active and completed bookings use", async () => {
    const res = await get(`${RANGE}&groupBy=instrument`);
    expectStatus(res, 200);
    const by = Object.fromEntries(res.body.items.map((i: { key: string }) => [i.key, i]));
    expect(by[ids.shanghai]).to.include({ openHours: 38, bookedHours: 6, rate: 0.1579, instruments: 1 });
    expect(by[ids.berlin]).to.include({ openHours: 167, bookedHours: 2, rate: 0.012 });
    expect(by[ids.kolkata]).to.include({ openHours: 20, bookedHours: 4, rate: 0.2 });
    expect(by[ids.other]).to.include({ openHours: 50, bookedHours: 0, rate: 0 });
    expect(res.body).to.include({ from: "2031-03-24", to: "2031-03-30", groupBy: "instrument", total: 4, offset: 0 });
    expect(res.body.totals).to.deep.equal({ instruments: 4, openHours: 275, bookedHours: 12, rate: 0.0436 });
    // Highest rate first.
    expect(res.body.items.map((i: { key: string }) => i.key)).to.deep.equal([ids.kolkata, ids.shanghai, ids.berlin, ids.other]);
  });

  it("gives each item's figures per day with perDay=true, days that add up to the item's totals", async () => {
    const res = await get(`${RANGE}&groupBy=instrument&perDay=true`);
    expectStatus(res, 200);
    const by = Object.fromEntries(res.body.items.map((i: { key: string }) => [i.key, i]));
    const days = (key: string) => by[key].days as { day: string; openHours: number; bookedHours: number; rate: number | null }[];
    expect(days(ids.shanghai).map((d) => d.day)).to.deep.equal(["2031-03-24", "2031-03-25", "2031-03-26", "2031-03-27", "2031-03-28", "2031-03-29", "2031-03-30"]);
    // Shanghai: 8 h a weekday, Wednesday 6 h after maintenance; 2 h Monday, 3 h Tuesday, 1 h Friday booked; weekend closed.
    expect(days(ids.shanghai).map((d) => [d.openHours, d.bookedHours, d.rate])).to.deep.equal([
      [8, 2, 0.25], [8, 3, 0.375], [6, 0, 0], [8, 0, 0], [8, 1, 0.125], [0, 0, null], [0, 0, null],
    ]);
    // Berlin: 24 h a day but 23 h on the spring-forward Sunday, when its 2 booked hours are.
    expect(days(ids.berlin).map((d) => d.openHours)).to.deep.equal([24, 24, 24, 24, 24, 24, 23]);
    expect(days(ids.berlin)[6]).to.include({ bookedHours: 2 });
    expect(days(ids.kolkata)[0]).to.deep.equal({ day: "2031-03-24", openHours: 4, bookedHours: 4, rate: 1 });
    for (const item of res.body.items as { openHours: number; bookedHours: number; days: { openHours: number; bookedHours: number }[] }[]) {
      expect(item.days.reduce((s, d) => s + d.openHours, 0)).to.equal(item.openHours);
      expect(item.days.reduce((s, d) => s + d.bookedHours, 0)).to.equal(item.bookedHours);
    }
    // Without the option the answer stays as it was.
    const plain = await get(`${RANGE}&groupBy=instrument`);
    expect(plain.body.items[0]).to.not.have.property("days");
  });

  it("sums per provider and per category, and pages instruments with limit and offset", async () => {
    const prov = await get(`${RANGE}&groupBy=provider`);
    expectStatus(prov, 200);
    expect(prov.body.items.find((i: { key: string }) => i.key === p.orgId)).to.include({ instruments: 3, openHours: 225, bookedHours: 12, rate: 0.0533 });
    expect(prov.body.items.find((i: { key: string }) => i.key === q.orgId)).to.include({ instruments: 1, openHours: 50, bookedHours: 0 });
    const cat = await get(`${RANGE}&groupBy=category`);
    expect(cat.body.items).to.deep.equal([
      { key: "physical_property", instruments: 2, openHours: 187, bookedHours: 6, rate: 0.0321 },
      { key: "analytical", instruments: 2, openHours: 88, bookedHours: 6, rate: 0.0682 },
    ].sort((a, b) => b.rate - a.rate));
    const page = await get(`${RANGE}&groupBy=instrument&limit=2&offset=1`);
    expect(page.body.items.map((i: { key: string }) => i.key)).to.deep.equal([ids.shanghai, ids.berlin]);
    expect(page.body).to.include({ total: 4, limit: 2, offset: 1 });
    expect(page.body.totals.openHours).to.equal(275);
  });

  it("gives a provider member only its own instruments, and refuses another provider's with 403", async () => {
    const own = await get(`${RANGE}&groupBy=instrument`, p);
    expectStatus(own, 200);
    expect(own.body.items.map((i: { key: string }) => i.key)).to.have.members([ids.shanghai, ids.berlin, ids.kolkata]);
    expect(own.body.totals).to.include({ openHours: 225, bookedHours: 12 });
    expectStatus(await get(`${RANGE}&providerId=${q.orgId}`, p), 403, "FORBIDDEN");
    const narrowed = await get(`${RANGE}&providerId=${q.orgId}`);
    expect(narrowed.body.items.map((i: { key: string }) => i.key)).to.deep.equal([ids.other]);
    expectStatus(await get(RANGE, ent), 403, "FORBIDDEN");
  });

  it("counts an instrument open only since it was published", async () => {
    const today = DateTime.now().setZone("Asia/Shanghai");
    const res = await get(`from=${today.minus({ days: 3 }).toISODate()}&to=${today.toISODate()}&groupBy=instrument`);
    expectStatus(res, 200);
    // Berlin is open around the clock: four whole days would be ≥ 95 h; published minutes ago, at most a day and a bit remains.
    const berlin = res.body.items.find((i: { key: string }) => i.key === ids.berlin);
    expect(berlin.openHours).to.be.below(33);
  });

  it("answers 400 with a stable code for a bad range, group or page", async () => {
    expectStatus(await get("from=2031-03-30&to=2031-03-24"), 400, "STATS_RANGE_REVERSED");
    const long = await get("from=2031-01-01&to=2031-04-30");
    expectStatus(long, 400, "STATS_UTILIZATION_RANGE_TOO_LONG");
    expect(long.body.error.fields[0]).to.include({ field: "/query/to", rule: "maxRange" });
    expectStatus(await get("from=2031-02-30&to=2031-03-02"), 400, "VALIDATION_FAILED");
    expectStatus(await get(`${RANGE}&groupBy=enterprise`), 400, "VALIDATION_FAILED");
    expectStatus(await get(`${RANGE}&limit=0`), 400, "VALIDATION_FAILED");
    expectStatus(await get(`${RANGE}&limit=501`), 400, "VALIDATION_FAILED");
    expectStatus(await get(`${RANGE}&bogus=1`), 400, "VALIDATION_FAILED");
    expectStatus(await get(`${RANGE}&perDay=maybe`), 400, "VALIDATION_FAILED");
  });
});
