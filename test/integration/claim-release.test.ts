// Release races (claims.ts). FerretDB reads, filters in Go, then deletes or writes by `_id`, so a
// releaser's filter is not re-checked when it writes. The canary: booking A holds a slot; A's cancel
// and other releasers of A's claims (the sweeper, a healing read, late retries) race while booking B
// books the same slot the moment it frees. B's claim must survive every round.
import { expect } from "chai";
import { startTestServer, type TestServer } from "../support/server";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { publishInstrument, shanghai } from "../factories/catalog";

const ROUNDS = 30;

describe("releasing claims", function () {
  this.timeout(300_000);
  let t: TestServer;
  let api: ApiClient;
  let provider: TestUser;
  let entA: TestUser;
  let entB: TestUser;
  const claims = () => t.db.conn.collection("slot_claims");
  const scheduling = () => t.server.services.scheduling;

  before(async () => {
    t = await startTestServer("claim-release");
    api = apiClient(t.baseUrl);
    const bureau = await login(api, t.admin.email, t.admin.password);
    [provider, entA, entB] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau), orgAdmin(api, "enterprise", bureau)]);
  });
  after(() => t.stop());

  it(`never removes a claim that another booking took in between: ${ROUNDS} rounds of cancel + concurrent releasers racing a new booking of the slot`, async () => {
    const inst = await publishInstrument(api, provider, { rules: { requiresConfirmation: false } });
    let lostB = 0;
    let rebooked = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const d = 3 + Math.floor(round / 10);
      const hh = `${String(8 + (round % 10)).padStart(2, "0")}:00`;
      const body = { instrumentId: inst.id, start: shanghai(d, hh), end: shanghai(d, hh.replace(":00", ":30")) };
      const a = await api.post("/api/bookings", body, { token: entA.token });
      expect(a.status, JSON.stringify(a.body)).to.equal(201);
      const claimIds = (await scheduling().load(a.body.id))!.claimIds;

      let bId: string | null = null;
      const bookB = async () => {
        for (let attempt = 0; attempt < 200 && !bId; attempt++) {
          const res = await api.post("/api/bookings", body, { token: entB.token });
          if (res.status === 201) bId = res.body.id;
          else expect(res.status, JSON.stringify(res.body)).to.equal(409);
        }
      };
      const releaser = async (n: number) => {
        for (let k = 0; k < n; k++) await scheduling().claims.release(claimIds, a.body.id);
      };
      await Promise.all([
        api.post(`/api/bookings/${a.body.id}/cancel`, { reason: "仪器故障" }, { token: provider.token }),
        bookB(),
        releaser(15),
        releaser(15),
        scheduling().sweep(),
        scheduling().load(a.body.id),
      ]);
      // Late releasers of A, after B holds the slot.
      await Promise.all([releaser(3), scheduling().sweep()]);
      expect(bId, "B eventually books the freed slot").to.be.a("string");
      rebooked++;
      const live = await claims().find({ instrumentId: inst.id, start: new Date(body.start) }).toArray();
      if (live.length !== 1 || live[0]!.bookingId !== bId) lostB++;
      const slots = (await api.get(`/api/instruments/${inst.id}/availability?from=${encodeURIComponent(body.start)}&to=${encodeURIComponent(body.end)}`)).body.slots;
      expect(slots.map((s: { free: number }) => s.free), `round ${round}: the slot shows as taken`).to.deep.equal([0]);
      // And nobody else can have it.
      expect((await api.post("/api/bookings", body, { token: entA.token })).status, `round ${round}`).to.equal(409);
    }
    console.log(`      ${rebooked} rounds, B's claim lost in ${lostB}`);
    expect(lostB).to.equal(0);
  });
});
