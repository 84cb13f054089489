// Every aggregate's events share one collection (`<aggregateId>:<n>`), so an id of one kind of
// object has a first event that a loader of another kind can find. Found by schemathesis: GET
// /api/claims/<an invitation's id> answered 500, and the claim loader wrote a garbage projection.
import { expect } from "chai";
import { login, orgAdmin, uniqueEmail, type TestUser } from "../factories/accounts";
import { publishInstrument, shanghai } from "../factories/catalog";
import { apiClient, type ApiClient } from "../support/http";
import { digestChanges, stateDigest } from "../support/state-digest";
import { startTestServer, type TestServer } from "../support/server";

describe("an id of another kind of object", () => {
  let t: TestServer;
  let api: ApiClient;
  let bureau: string;
  let enterprise: TestUser;
  const foreign: Record<string, string> = {};

  before(async function () {
    this.timeout(60_000);
    t = await startTestServer("foreignids");
    api = apiClient(t.baseUrl);
    bureau = await login(api, t.admin.email, t.admin.password);
    enterprise = await orgAdmin(api, "enterprise", bureau);
    const provider = await orgAdmin(api, "provider", bureau);
    const instrument = await publishInstrument(api, provider);
    const booking = await api.post("/api/bookings", { instrumentId: instrument.id, start: shanghai(3, "10:00"), end: shanghai(3, "11:00") }, { token: enterprise.token });
    expect(booking.status, JSON.stringify(booking.body)).to.equal(201);
    // A revoked invitation: its stream's first event is "revoked".
    await api.post("/api/organization/invitations", { email: uniqueEmail("revoked"), role: "enterprise_member" }, { token: enterprise.token });
    const invitation = (await api.get("/api/organization/invitations", { token: enterprise.token })).body.items[0];
    expect((await api.call("DELETE", `/api/organization/invitations/${invitation.id}`, { token: enterprise.token })).status).to.equal(200);
    Object.assign(foreign, { "a revoked invitation": invitation.id, "a booking": booking.body.id, "an enterprise": enterprise.orgId! });
  });
  after(() => t?.stop());

  const attachments = [{ kind: "contract", uploadId: "x" }, { kind: "invoice", uploadId: "x" }, { kind: "payment_proof", uploadId: "x" }];
  const CALLS: [string, (id: string, token: string) => Promise<{ status: number; body: any }>][] = [
    ["GET /api/claims/:id", (id, token) => api.get(`/api/claims/${id}`, { token })],
    ["POST /api/claims/:id/resubmit", (id, token) => api.post(`/api/claims/${id}/resubmit`, { invoiceNo: "1", contractNo: "1", attachments }, { token })],
    ["POST /api/claims/:id/review", (id, token) => api.post(`/api/claims/${id}/review`, { decision: "approve" }, { token })],
    ["POST /api/claims with it as voucherId", (id, token) => api.post("/api/claims", { voucherId: id, invoiceNo: "1", contractNo: "1", attachments }, { token })],
  ];

  for (const [call, send] of CALLS) {
    it(`answers ${call} with 404 NOT_FOUND for the id of a revoked invitation, a booking or an enterprise, and writes nothing`, async () => {
      for (const [kind, id] of Object.entries(foreign)) {
        const token = call.includes("review") ? bureau : enterprise.token;
        const before = await stateDigest(t.db.conn);
        const res = await send(id, token);
        expect(res.status, `${kind}: ${JSON.stringify(res.body)}`).to.equal(404);
        expect(res.body.error.code, kind).to.equal("NOT_FOUND");
        expect(digestChanges(before, await stateDigest(t.db.conn)), kind).to.deep.equal([]);
      }
    });
  }
});
