// Calendar feeds (issue 11): secret iCalendar URLs that calendar apps fetch without a cookie, per
// user (their bookings) and per instrument (its bookings, for the provider's members); reset makes
// the old URL answer 404. Every file is parsed with a real iCalendar parser (ical.js).
import { expect } from "chai";
import ICAL from "ical.js";
import { startTestServer, type TestServer } from "../support/server";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { login, orgAdmin, orgMember, type TestUser } from "../factories/accounts";
import { publishInstrument, shanghai } from "../factories/catalog";

const hh = (h: number) => `${String(8 + Math.floor(h / 2)).padStart(2, "0")}:${h % 2 ? "30" : "00"}`;

interface ParsedEvent {
  uid: string;
  summary: string;
  location: string | null;
  description: string;
  start: string;
  end: string;
  status: string;
  stamp: string;
}

/** The file parsed by ical.js, after checking what the parser forgives: CRLF and 75-octet lines. */
function parseIcs(text: string): { name: string; events: ParsedEvent[] } {
  expect(text.endsWith("\r\n")).to.equal(true);
  expect(text.replace(/\r\n/g, ""), "bare CR or LF").not.to.match(/[\r\n]/);
  for (const line of text.split("\r\n")) expect(Buffer.byteLength(line, "utf8"), line).to.be.at.most(75);
  const cal = new ICAL.Component(ICAL.parse(text));
  expect(cal.name).to.equal("vcalendar");
  expect(cal.getFirstPropertyValue("version")).to.equal("2.0");
  expect(cal.getFirstPropertyValue("prodid")).to.be.a("string");
  const events = cal.getAllSubcomponents("vevent").map((v) => {
    const e = new ICAL.Event(v);
    for (const prop of ["uid", "dtstamp", "dtstart", "dtend", "summary", "status"]) expect(v.hasProperty(prop), prop).to.equal(true);
    expect(e.startDate.zone?.tzid, "DTSTART in UTC").to.equal("UTC");
    expect(e.endDate.zone?.tzid, "DTEND in UTC").to.equal("UTC");
    return {
      uid: e.uid,
      summary: e.summary,
      location: e.location,
      description: e.description,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      status: String(v.getFirstPropertyValue("status")),
      stamp: String(v.getFirstPropertyValue("dtstamp")),
    };
  });
  return { name: String(cal.getFirstPropertyValue("x-wr-calname")), events };
}

describe("calendar feeds", function () {
  this.timeout(120_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: string;
  let provider: TestUser;
  let staff: TestUser;
  let ent: TestUser;
  let member: TestUser;
  let inst: { id: string; name: string };
  let other: { id: string; name: string };
  const ids: string[] = [];

  const fetchFeed = (path: string, headers: Record<string, string> = {}) => fetch(t.baseUrl + path, { headers });

  before(async () => {
    t = await startTestServer("calendar-feeds");
    api = apiClient(t.baseUrl);
    bureau = await login(api, t.admin.email, t.admin.password);
    [provider, ent] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
    [staff, member] = await Promise.all([orgMember(api, provider, "provider_staff"), orgMember(api, ent, "enterprise_member")]);
    const put = await api.call("PUT", `/api/providers/${provider.orgId}/contact`, {
      token: provider.token,
      json: { address: "聊城市东昌府区花园北路 1 号; 检测楼", contactPerson: "王工", phone: "0635-8123456", email: "lab@example.test" },
    });
    expectStatus(put, 200);
    inst = await publishInstrument(api, provider, { location: "3 号楼 201 室", rules: { requiresConfirmation: false } });
    other = await publishInstrument(api, provider);
    const note = `样品: 轴承钢, 共 3 件; 请注意\\防潮。${"长说明".repeat(30)}`;
    for (const [instrumentId, slot] of [[inst.id, 0], [inst.id, 4], [other.id, 0]] as const) {
      const res = await api.post("/api/bookings", { instrumentId, start: shanghai(2, hh(slot)), end: shanghai(2, hh(slot + 2)), note }, { token: ent.token });
      expectStatus(res, 201);
      ids.push(res.body.id);
    }
  });
  after(() => t.stop());

  it("an enterprise member's feed holds their enterprise's bookings, one event per item, in UTC with number, provider address and contact", async () => {
    const feed = await api.get("/api/calendar-feeds/me", { token: member.token });
    expectStatus(feed, 200);
    expect(feed.body.kind).to.equal("user");
    expect(feed.body.path).to.equal(`/api/ical/${feed.body.token}.ics`);
    // Made once: asking again gives the same URL.
    expect((await api.get("/api/calendar-feeds/me", { token: member.token })).body.token).to.equal(feed.body.token);
    const res = await fetchFeed(feed.body.path);
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.equal("text/calendar; charset=utf-8");
    expect(res.headers.get("cache-control")).to.include("private");
    const cal = parseIcs(await res.text());
    expect(cal.name).to.equal("我的预约");
    expect(cal.events.map((e) => e.uid).sort()).to.deep.equal(ids.map((id) => `${id}-0@labshare`).sort());
    const first = (await api.get(`/api/bookings/${ids[0]}`, { token: ent.token })).body;
    const event = cal.events.find((e) => e.uid === `${ids[0]}-0@labshare`)!;
    expect(event.start).to.equal(new Date(first.items[0].start).toISOString());
    expect(event.end).to.equal(new Date(first.items[0].end).toISOString());
    expect(event.summary).to.equal(`${inst.name} (${first.number})`);
    expect(event.location).to.equal("聊城市东昌府区花园北路 1 号; 检测楼 · 3 号楼 201 室");
    expect(event.description).to.include(`预约单号: ${first.number}`).and.include("王工 0635-8123456").and.include("样品: 轴承钢, 共 3 件; 请注意\\防潮。");
    expect(event.status).to.equal("CONFIRMED");
  });

  it("a cancelled booking stays in the feed with STATUS:CANCELLED and a later DTSTAMP", async () => {
    const { body } = await api.get("/api/calendar-feeds/me", { token: ent.token });
    const before = parseIcs(await (await fetchFeed(body.path)).text()).events.find((e) => e.uid === `${ids[1]}-0@labshare`)!;
    await new Promise((r) => setTimeout(r, 1100)); // DTSTAMP has whole seconds
    expectStatus(await api.post(`/api/bookings/${ids[1]}/cancel`, {}, { token: ent.token }), 200);
    const after = parseIcs(await (await fetchFeed(body.path)).text()).events.find((e) => e.uid === `${ids[1]}-0@labshare`)!;
    expect(after.status).to.equal("CANCELLED");
    expect(after.stamp > before.stamp).to.equal(true);
  });

  it("an instrument's feed (for its provider's members) holds that instrument's bookings only, named by the enterprise", async () => {
    for (const who of [provider, staff]) {
      const feed = await api.get(`/api/instruments/${inst.id}/calendar-feed`, { token: who.token });
      expectStatus(feed, 200);
      expect(feed.body).to.include({ kind: "instrument", instrumentId: inst.id });
      const cal = parseIcs(await (await fetchFeed(feed.body.path)).text());
      expect(cal.name).to.equal(`仪器预约 · ${inst.name}`);
      expect(cal.events.map((e) => e.uid).sort()).to.deep.equal([ids[0], ids[1]].map((id) => `${id}-0@labshare`).sort());
      expect(cal.events[0]!.summary).to.include(inst.name).and.include("测试轴承有限公司");
    }
    // The provider admin's own feed: every booking on the provider's instruments.
    const mine = await api.get("/api/calendar-feeds/me", { token: provider.token });
    expect(parseIcs(await (await fetchFeed(mine.body.path)).text()).events).to.have.length(3);
  });

  it("a reset makes the old URL answer 404 and the new one work; each user's and instrument's URL is its own", async () => {
    const old = (await api.get("/api/calendar-feeds/me", { token: ent.token })).body;
    const reset = await api.post("/api/calendar-feeds/me/reset", {}, { token: ent.token });
    expectStatus(reset, 200);
    expect(reset.body.token).not.to.equal(old.token);
    expect((await fetchFeed(old.path)).status).to.equal(404);
    expect((await fetchFeed(reset.body.path)).status).to.equal(200);
    expect((await api.get("/api/calendar-feeds/me", { token: ent.token })).body.token).to.equal(reset.body.token);
    // The member's URL is untouched by the admin's reset.
    const memberFeed = (await api.get("/api/calendar-feeds/me", { token: member.token })).body;
    expect(memberFeed.token).not.to.equal(reset.body.token);
    expect((await fetchFeed(memberFeed.path)).status).to.equal(200);

    const instOld = (await api.get(`/api/instruments/${inst.id}/calendar-feed`, { token: staff.token })).body;
    const instNew = await api.post(`/api/instruments/${inst.id}/calendar-feed/reset`, {}, { token: staff.token });
    expectStatus(instNew, 200);
    expect((await fetchFeed(instOld.path)).status).to.equal(404);
    expect((await fetchFeed(instNew.body.path)).status).to.equal(200);
  });

  it("racing first requests for a feed all get the same URL (one insert wins)", async () => {
    const who = await orgMember(api, ent, "enterprise_member");
    const results = await Promise.all(Array.from({ length: 8 }, () => api.get("/api/calendar-feeds/me", { token: who.token })));
    for (const r of results) expectStatus(r, 200);
    expect(new Set(results.map((r) => r.body.token)).size).to.equal(1);
    expect((await fetchFeed(results[0]!.body.path)).status).to.equal(200);
  });

  it("racing resets leave exactly one working URL", async () => {
    const who = await orgMember(api, ent, "enterprise_member");
    const results = await Promise.all(Array.from({ length: 40 }, () => api.post("/api/calendar-feeds/me/reset", {}, { token: who.token })));
    for (const r of results) expectStatus(r, 200);
    const statuses = await Promise.all(results.map(async (r) => (await fetchFeed(r.body.path)).status));
    expect(statuses.filter((s) => s === 200)).to.have.length(1);
    const current = (await api.get("/api/calendar-feeds/me", { token: who.token })).body;
    expect((await fetchFeed(current.path)).status).to.equal(200);
  });

  it("answers 404 for an unknown token, 400 for a malformed one, with no session or cookie needed", async () => {
    const res = await fetchFeed(`/api/ical/${"A".repeat(43)}.ics`);
    expect(res.status).to.equal(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).to.equal("NOT_FOUND");
    for (const bad of ["short.ics", `${"A".repeat(43)}.ical`, `${"A".repeat(42)}!.ics`, `${"A".repeat(44)}.ics`]) {
      const r = await fetchFeed(`/api/ical/${encodeURIComponent(bad)}`);
      expect(r.status, bad).to.equal(400);
      expect(((await r.json()) as { error: { code: string } }).error.code).to.equal("VALIDATION_FAILED");
    }
  });

  it("another provider's instrument feed answers 404, an enterprise 403, a bureau user has no feed (403)", async () => {
    const stranger = await orgAdmin(api, "provider", bureau);
    expectStatus(await api.get(`/api/instruments/${inst.id}/calendar-feed`, { token: stranger.token }), 404, "NOT_FOUND");
    expectStatus(await api.post(`/api/instruments/${inst.id}/calendar-feed/reset`, {}, { token: stranger.token }), 404, "NOT_FOUND");
    expectStatus(await api.get(`/api/instruments/${inst.id}/calendar-feed`, { token: ent.token }), 403, "FORBIDDEN");
    expectStatus(await api.get("/api/calendar-feeds/me", { token: bureau }), 403, "FORBIDDEN");
    expectStatus(await api.get("/api/calendar-feeds/me"), 401, "UNAUTHENTICATED");
    expectStatus(await api.post("/api/calendar-feeds/me/reset", { extra: 1 }, { token: ent.token }), 400, "VALIDATION_FAILED");
    expectStatus(await api.get(`/api/instruments/nope/calendar-feed`, { token: provider.token }), 404, "NOT_FOUND");
  });

  it("a member removed from the provider loses the feeds they made (404), like an unknown URL", async () => {
    const leaving = await orgMember(api, provider, "provider_staff");
    const feed = (await api.get(`/api/instruments/${inst.id}/calendar-feed`, { token: leaving.token })).body;
    const own = (await api.get("/api/calendar-feeds/me", { token: leaving.token })).body;
    expect((await fetchFeed(feed.path)).status).to.equal(200);
    expectStatus(await api.call("DELETE", `/api/organization/members/${leaving.id}`, { token: provider.token }), 200);
    expect((await fetchFeed(feed.path)).status).to.equal(404);
    expect((await fetchFeed(own.path)).status).to.equal(404);
  });

  it("an English user's feed speaks English", async () => {
    const en = await orgMember(api, ent, "enterprise_member");
    expectStatus(await api.patch("/api/me", { locale: "en" }, { token: en.token }), 200);
    const feed = (await api.get("/api/calendar-feeds/me", { token: en.token })).body;
    const cal = parseIcs(await (await fetchFeed(feed.path)).text());
    expect(cal.name).to.equal("My bookings");
    expect(cal.events[0]!.description).to.include("Booking no.: YY-");
  });
});
