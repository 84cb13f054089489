// The authorization matrix (DESIGN.md invariant 5: a user sees and changes only what their
// organization and role allow). One row per route and target, one column per kind of caller; each
// cell is one valid request and the status it must get. Objects a caller may not see answer 404,
// routes a caller's role may not use answer 403, and anonymous callers of non-public routes 401.
// The routes come from the served OpenAPI document: an operation without a row fails the matrix
// (and a row without an operation too), naming the row to add. Another organization's user is a
// column of its own for each kind (B for A, Q for P), so cross-organization access is in every row.
import { expect } from "chai";
import type { Role } from "../../shared/enums";
import type { ErrorCode } from "../../shared/errors";
import { DEFAULT_POLICY_TERMS } from "../../shared/voucher-split";
import {
  enterpriseBody,
  login,
  orgAdmin,
  orgMember,
  providerBody,
  registerUser,
  uniqueEmail,
  type TestUser,
} from "../factories/accounts";
import { picture, uploadPhoto } from "../factories/photos";
import { coverageProblems, operationsOf } from "../support/authz-coverage";
import { apiClient, type ApiClient, type ApiResponse } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";

/** The callers, in the order of the matrix's columns. */
const ACTORS = [
  "anonymous",
  "noOrg", // logged in, no organization
  "entAdminA", // admin of enterprise A (approved)
  "entMemberA", // enterprise_member of A
  "entAdminB", // admin of enterprise B (pending)
  "provAdminP", // admin of provider P (approved)
  "provStaffP", // provider_staff of P
  "provAdminQ", // admin of provider Q (pending)
  "bureauAdmin",
  "bureauReviewer",
] as const;
type ActorName = (typeof ACTORS)[number];

interface Caller {
  name: ActorName;
  token?: string;
  email?: string;
  password?: string;
  orgId?: string;
}

/** The error code each error status must carry, unless a row says otherwise. */
const GENERIC_CODE: Partial<Record<number, ErrorCode>> = { 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND" };

interface Row {
  /** "METHOD /path/:template", exactly as the route spec declares it. */
  route: string;
  /** What the request aims at, when it matters. */
  target?: string;
  call: (caller: Caller) => Promise<ApiResponse>;
  /** The status each caller gets, in ACTORS order. */
  expected: readonly number[];
  /** Error codes of this row beyond GENERIC_CODE (e.g. 409 → ALREADY_MEMBER). */
  codes?: Partial<Record<number, ErrorCode>>;
  /** A caller whose error code differs from the row's (e.g. a pending provider's 403 PROVIDER_NOT_APPROVED). */
  callerCodes?: Partial<Record<ActorName, ErrorCode>>;
}

/** Error answers are `{error: {code, message}}` and nothing else. */
function expectError(res: ApiResponse, code: ErrorCode | undefined, context: string): void {
  expect(res.body, context).to.be.an("object");
  expect(Object.keys(res.body), context).to.deep.equal(["error"]);
  expect(res.body.error.message, context).to.be.a("string").and.not.equal("");
  if (code) expect(res.body.error.code, context).to.equal(code);
  else expect(res.body.error.code, context).to.be.a("string");
}

describe("authorization matrix", () => {
  let t: TestServer;
  let api: ApiClient;
  let operations: string[];
  const callers = {} as Record<ActorName, Caller>;
  const w = {} as {
    enterpriseA: string;
    enterpriseB: string;
    providerP: string;
    providerQ: string;
    providerPName: string;
    providerQName: string;
    spare: TestUser; // someone for anonymous to log in as
    invitationToA: string; // a pending invitation into enterprise A, for someone else
    instrumentP: string; // an instrument of provider P
    packageP: string; // a packaged service of provider P
    partnerPackages: string[]; // packages of provider R made of P's instrument: P is their partner
    bookableP: string; // an instrument of P open around the clock, for bookings
    bookingA: string; // a booking of enterprise A on P's instrument
    uploadA: string; // a file uploaded by enterprise A (issue 10)
    noticeP: string; // an open admission notice for provider P (issue 10)
    packA: { kind: string; uploadId: string }[]; // A's evidence pack (issue 10, i10-settle)
    claimA: string; // A's submitted claim on P's service
    notificationP: string; // provAdminP's first notification (issue 11: registration reviewed)
    photoInstrumentP: string; // an instrument of P with photos (issue 11)
    photoThumbP: string; // the URL of its cover's thumbnail
  };

  const as = (c: Caller) => ({ token: c.token });
  const caller = (name: ActorName, user: TestUser): Caller => ({ name, ...user });

  /** A caller whose success would use up their "no organization" state gets a fresh one per cell. */
  async function freshIfNoOrg(c: Caller): Promise<Caller> {
    return c.name === "noOrg" ? caller("noOrg", await registerUser(api, "fresh")) : c;
  }

  /** A new session of the caller (so logging it out leaves the shared token alone). */
  async function newSession(c: Caller): Promise<string | undefined> {
    if (!c.email || !c.password) return undefined;
    return login(api, c.email, c.password);
  }

  async function pendingOrganization(type: "enterprise" | "provider"): Promise<string> {
    return (await orgAdmin(api, type)).orgId!;
  }

  async function statusOf(type: "enterprise" | "provider", id: string): Promise<string> {
    const res = await api.get(`/api/${type}s/${id}`, as(callers.bureauAdmin));
    expect(res.status).to.equal(200);
    return res.body.status;
  }

  async function invite(admin: Caller, email: string, role: Role): Promise<string> {
    const res = await api.post("/api/organization/invitations", { email, role }, as(admin));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.token;
  }

  /** A review by `c` of a fresh pending registration; checks that only a 200 changed anything. */
  async function reviewFresh(type: "enterprise" | "provider", c: Caller): Promise<ApiResponse> {
    const id = await pendingOrganization(type);
    const res = await api.post(`/api/${type}s/${id}/review`, { decision: "approve" }, as(c));
    expect(await statusOf(type, id)).to.equal(res.status === 200 ? "approved" : "pending");
    return res;
  }

  /** The role an organization admin may invite into: the member role of their own organization type. */
  const MEMBER_ROLE_OF: Partial<Record<ActorName, Role>> = {
    entAdminA: "enterprise_member",
    entMemberA: "enterprise_member",
    entAdminB: "enterprise_member",
    provAdminP: "provider_staff",
    provStaffP: "provider_staff",
    provAdminQ: "provider_staff",
    bureauAdmin: "bureau_reviewer",
    bureauReviewer: "bureau_reviewer",
  };

  const ALREADY_MEMBER = { 409: "ALREADY_MEMBER" } as const;

  // Catalog writes: provider members for their own provider, the bureau admin naming the provider.
  const instrumentBody = () => ({
    name: "矩阵测试光谱仪", category: "analytical", priceFen: 10000, priceUnit: "hour",
    openHours: [{ weekday: 1, start: "08:00", end: "12:00" }], originalValueFen: 1_000_000,
  });
  const packageBody = () => ({
    name: "矩阵测试套餐", purpose: "quality_inspection", items: [{ instrumentId: w.instrumentP, minutes: 60 }], priceFen: 8000,
  });
  const onBehalfOfP = (c: Caller) => (c.name.startsWith("bureau") ? { providerId: w.providerP } : {});
  const NOT_APPROVED = { provAdminQ: "PROVIDER_NOT_APPROVED" } as const;

  /** A PATCH by `c` with a value of its own; checks that only a 200 changed anything. */
  async function patchCatalog(kind: "instruments" | "packages", id: string, c: Caller): Promise<ApiResponse> {
    const priceFen = 20_000 + ACTORS.indexOf(c.name);
    const res = await api.patch(`/api/${kind}/${id}`, { priceFen }, as(c));
    const now = (await api.get(`/api/${kind}/${id}`)).body.priceFen;
    if (res.status === 200) expect(now).to.equal(priceFen);
    else expect(now).to.not.equal(priceFen);
    return res;
  }

  /** A fresh maintenance window on P's instrument, removed by `c`; checks that only a 200 removed it. */
  async function removeFreshBlackout(c: Caller): Promise<ApiResponse> {
    const window = { start: "2031-01-01T00:00:00Z", end: "2031-01-02T00:00:00Z", reason: "矩阵测试" };
    const created = await api.post(`/api/instruments/${w.instrumentP}/blackouts`, window, as(callers.provAdminP));
    expect(created.status).to.equal(201);
    const res = await api.call("DELETE", `/api/instruments/${w.instrumentP}/blackouts/${created.body.id}`, as(c));
    const left = (await api.get(`/api/instruments/${w.instrumentP}/blackouts`)).body.items.map((b: { id: string }) => b.id);
    expect(left.includes(created.body.id), "window still there").to.equal(res.status !== 200);
    return res;
  }

  // Bookings: each cell that changes one gets a fresh one, an hour of its own on P's 24-hour instrument.
  let nextHour = 0;
  function freshSlot() {
    const start = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + (3 + nextHour++) * 3_600_000);
    return { instrumentId: w.bookableP, start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString() };
  }
  async function freshBooking(status: "pending" | "confirmed" | "in_progress"): Promise<{ id: string; start: string }> {
    const res = await api.post("/api/bookings", freshSlot(), as(callers.entAdminA));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    if (status !== "pending") expect((await api.post(`/api/bookings/${res.body.id}/confirm`, {}, as(callers.provAdminP))).status).to.equal(200);
    if (status === "in_progress") {
      const checkIn = await atStart(res.body.items[0].start, () => api.post(`/api/bookings/${res.body.id}/check-in`, {}, as(callers.provAdminP)));
      expect(checkIn.status).to.equal(200);
    }
    return { id: res.body.id, start: res.body.items[0].start };
  }
  /** Check-in opens 30 minutes before the start: the scheduling clock is moved to the start for it. */
  async function atStart<T>(start: string, f: () => Promise<T>): Promise<T> {
    const scheduling = t.server.services.scheduling;
    const real = scheduling.now;
    scheduling.now = () => Date.parse(start);
    try {
      return await f();
    } finally {
      scheduling.now = real;
    }
  }
  async function actOnFresh(status: "pending" | "confirmed" | "in_progress", action: string, body: object, c: Caller): Promise<ApiResponse> {
    const b = await freshBooking(status);
    const call = () => api.post(`/api/bookings/${b.id}/${action}`, body, as(c));
    return action === "check-in" ? atStart(b.start, call) : call();
  }
  /** A no-show is recorded after the start: the scheduling clock is moved past it for the call. */
  async function noShowFresh(c: Caller): Promise<ApiResponse> {
    const b = await freshBooking("confirmed");
    const scheduling = t.server.services.scheduling;
    const real = scheduling.now;
    scheduling.now = () => Date.parse(b.start) + 60_000;
    try {
      return await api.post(`/api/bookings/${b.id}/no-show`, {}, as(c));
    } finally {
      scheduling.now = real;
    }
  }
  const ACT_AS_P = [401, 403, 403, 403, 403, 200, 200, 404, 403, 403] as const;

  // Issue 10 (i10-evidence): contract amounts, uploads, awards, admission notices.
  /** A fresh completed booking of A on P's instrument, its amount recorded (and disputed by A if asked). */
  async function completedFresh(disputed: boolean): Promise<string> {
    const b = await freshBooking("in_progress");
    expect((await api.post(`/api/bookings/${b.id}/complete`, { contractAmountFen: 10000, reportNumber: "LC-9" }, as(callers.provAdminP))).status).to.equal(200);
    if (disputed) expect((await api.post(`/api/bookings/${b.id}/contract-amount/dispute`, { reason: "金额有误" }, as(callers.entAdminA))).status).to.equal(200);
    return b.id;
  }
  async function uploadAs(c: Caller): Promise<ApiResponse> {
    const form = new FormData();
    form.append("file", new Blob([Buffer.from("%PDF-1.7\n%%EOF\n")]), "合同.pdf");
    const res = await fetch(`${t.baseUrl}/api/uploads`, { method: "POST", body: form, headers: c.token ? { authorization: `Bearer ${c.token}` } : {} });
    return { status: res.status, body: await res.json(), headers: res.headers };
  }
  async function freshObjection(): Promise<string> {
    const res = await api.post(`/api/admissions/${w.noticeP}/objections`, { reason: "矩阵测试异议" }, as(callers.bureauAdmin));
    expect(res.status).to.equal(201);
    return res.body.id;
  }
  // Issue 10 (i10-settle): claims and settlements. A fresh completed voucher of A on P's instrument,
  // its amount acknowledged; filed with A's evidence, and returned, when asked.
  async function freshVoucherOfA(): Promise<string> {
    const res = await api.post("/api/bookings", { ...freshSlot(), useVoucher: true }, as(callers.entAdminA));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const id = res.body.id as string;
    expect((await api.post(`/api/bookings/${id}/confirm`, {}, as(callers.provAdminP))).status).to.equal(200);
    await t.server.services.vouchers.idle();
    expect((await atStart(res.body.items[0].start, () => api.post(`/api/bookings/${id}/check-in`, {}, as(callers.provAdminP)))).status).to.equal(200);
    expect((await api.post(`/api/bookings/${id}/complete`, { contractAmountFen: 10000, reportNumber: "LC-9" }, as(callers.provAdminP))).status).to.equal(200);
    expect((await api.post(`/api/bookings/${id}/contract-amount/acknowledge`, {}, as(callers.entAdminA))).status).to.equal(200);
    return `v-${id}`;
  }
  const claimOf = (voucherId: string) => ({ voucherId, invoiceNo: "37001234", contractNo: "HT-1", attachments: w.packA });
  async function freshClaimOfA(returned: boolean): Promise<string> {
    const filed = await api.post("/api/claims", claimOf(await freshVoucherOfA()), as(callers.entAdminA));
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    if (returned) expect((await api.post(`/api/claims/${filed.body.id}/review`, { decision: "return", reason: "补充材料" }, as(callers.bureauAdmin))).status).to.equal(200);
    return filed.body.id;
  }
  // Issue 11 (i11-catalog): instrument photos. A fresh photo per cell that removes one; one left behind is cleaned up.
  let photoPng: Buffer;
  const photosOfP = async () => (await api.get(`/api/instruments/${w.photoInstrumentP}`)).body.photos.map((p: { id: string }) => p.id) as string[];
  async function removeFreshPhoto(c: Caller): Promise<ApiResponse> {
    const added = await uploadPhoto(t.baseUrl, w.photoInstrumentP, callers.provAdminP.token, photoPng);
    expect(added.status, JSON.stringify(added.body)).to.equal(201);
    const id = added.body.items.at(-1).id as string;
    const res = await api.call("DELETE", `/api/instruments/${w.photoInstrumentP}/photos/${id}`, as(c));
    expect((await photosOfP()).includes(id), "photo still listed").to.equal(res.status !== 200);
    if (res.status !== 200) await api.call("DELETE", `/api/instruments/${w.photoInstrumentP}/photos/${id}`, as(callers.provAdminP));
    return res;
  }
  const P_MEMBERS_ONLY = [401, 403, 403, 403, 403, 200, 200, 403, 403, 403] as const;
  const BUREAU_ADMIN_ONLY = [401, 403, 403, 403, 403, 403, 403, 403, 201, 403] as const;
  const BUREAU_READS = [401, 403, 403, 403, 403, 403, 403, 403, 200, 200] as const;
  const AS_BOOKER_A = [401, 403, 200, 200, 404, 403, 403, 403, 403, 403] as const;

  // Formatted as a table on purpose. Columns of `expected`, in ACTORS order: anonymous, a user with
  // no organization, A's admin and member, B's admin, P's admin and staff, Q's admin, bureau admin, reviewer.
  const MATRIX: Row[] = [
    //           anon user A    A-mb B    P    P-st Q    bur  rev
    { route: "GET /api/health", call: () => api.get("/api/health"),
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "GET /api/openapi.json", call: () => api.get("/api/openapi.json"),
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "POST /api/auth/register", target: "a new account",
      call: (c) => api.post("/api/auth/register", { email: uniqueEmail(), password: "long enough pass", name: "新用户" }, as(c)),
      expected: [201, 201, 201, 201, 201, 201, 201, 201, 201, 201] },
    { route: "POST /api/auth/login", target: "the caller's own account (anonymous: a spare one)",
      call: (c) => api.post("/api/auth/login", c.email ? { email: c.email, password: c.password } : { email: w.spare.email, password: w.spare.password }),
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "POST /api/auth/logout", target: "a second session of the caller",
      call: async (c) => {
        const token = await newSession(c);
        const res = await api.post("/api/auth/logout", undefined, { token });
        if (token) expect((await api.get("/api/me", { token })).status, "the session ended").to.equal(401);
        return res;
      },
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "GET /api/me", call: (c) => api.get("/api/me", as(c)),
      expected: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "PATCH /api/me", call: (c) => api.patch("/api/me", { locale: "zh-CN" }, as(c)),
      expected: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200] },

    { route: "POST /api/enterprises", target: "a new enterprise",
      call: async (c) => api.post("/api/enterprises", enterpriseBody(), as(await freshIfNoOrg(c))),
      expected: [401, 201, 409, 409, 409, 409, 409, 409, 409, 409], codes: ALREADY_MEMBER },
    { route: "GET /api/enterprises", call: (c) => api.get("/api/enterprises", as(c)),
      expected: [401, 403, 403, 403, 403, 403, 403, 403, 200, 200] },
    { route: "GET /api/enterprises/:id", target: "enterprise A (approved)",
      call: (c) => api.get(`/api/enterprises/${w.enterpriseA}`, as(c)),
      expected: [401, 404, 200, 200, 404, 404, 404, 404, 200, 200] },
    { route: "GET /api/enterprises/:id", target: "enterprise B (pending)",
      call: (c) => api.get(`/api/enterprises/${w.enterpriseB}`, as(c)),
      expected: [401, 404, 404, 404, 200, 404, 404, 404, 200, 200] },
    { route: "POST /api/enterprises/:id/review", target: "a fresh pending enterprise",
      call: (c) => reviewFresh("enterprise", c),
      expected: [401, 403, 403, 403, 403, 403, 403, 403, 200, 200] },

    { route: "POST /api/providers", target: "a new provider",
      call: async (c) => api.post("/api/providers", providerBody(), as(await freshIfNoOrg(c))),
      expected: [401, 201, 409, 409, 409, 409, 409, 409, 409, 409], codes: ALREADY_MEMBER },
    { route: "GET /api/providers", call: (c) => api.get("/api/providers", as(c)),
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "GET /api/providers/:id", target: "provider P (approved: public)",
      call: (c) => api.get(`/api/providers/${w.providerP}`, as(c)),
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "GET /api/providers/:id", target: "provider Q (pending)",
      call: (c) => api.get(`/api/providers/${w.providerQ}`, as(c)),
      expected: [404, 404, 404, 404, 404, 404, 404, 200, 200, 200] },
    { route: "POST /api/providers/:id/review", target: "a fresh pending provider",
      call: (c) => reviewFresh("provider", c),
      expected: [401, 403, 403, 403, 403, 403, 403, 403, 200, 200] },

    { route: "GET /api/organization/members", call: (c) => api.get("/api/organization/members", as(c)),
      expected: [401, 403, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "POST /api/organization/invitations", target: "a new email, as the member role of the caller's organization",
      call: (c) => api.post("/api/organization/invitations", { email: uniqueEmail("invitee"), role: MEMBER_ROLE_OF[c.name] ?? "enterprise_member" }, as(c)),
      expected: [401, 403, 201, 403, 201, 201, 403, 201, 201, 403] },
    // The token is the secret: whoever holds the link may look at it (and only its addressee accept it).
    { route: "GET /api/invitations/:token", target: "an invitation into enterprise A",
      call: (c) => api.get(`/api/invitations/${w.invitationToA}`, as(c)),
      expected: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "POST /api/invitations/:token/accept", target: "a fresh invitation into A addressed to the caller",
      call: async (c) => {
        const who = await freshIfNoOrg(c);
        const token = await invite(callers.entAdminA, who.email ?? uniqueEmail("nobody"), "enterprise_member");
        const res = await api.post(`/api/invitations/${token}/accept`, undefined, as(who));
        if (who.token) {
          const me = await api.get("/api/me", as(who));
          const orgNow = res.status === 200 ? w.enterpriseA : who.orgId;
          expect(me.body.organization?.id, "organization after accepting").to.equal(orgNow);
        }
        return res;
      },
      expected: [401, 200, 409, 409, 409, 409, 409, 409, 409, 409], codes: ALREADY_MEMBER },

    // Registration rounds, invitations and members (issue 8).
    //           anon user A    A-mb B    P    P-st Q    bur  rev
    { route: "POST /api/enterprises/:id/resubmit", target: "enterprise A (approved: not rejected)",
      call: (c) => api.post(`/api/enterprises/${w.enterpriseA}/resubmit`, enterpriseBody(), as(c)),
      expected: [401, 403, 409, 403, 404, 403, 403, 403, 403, 403], codes: { 409: "REGISTRATION_NOT_REJECTED" } },
    { route: "POST /api/providers/:id/resubmit", target: "provider P (approved: not rejected)",
      call: (c) => api.post(`/api/providers/${w.providerP}/resubmit`, providerBody(), as(c)),
      expected: [401, 403, 403, 403, 403, 409, 403, 404, 403, 403], codes: { 409: "REGISTRATION_NOT_REJECTED" } },
    { route: "POST /api/enterprises/:id/revoke", target: "a fresh pending enterprise",
      call: async (c) => api.post(`/api/enterprises/${await pendingOrganization("enterprise")}/revoke`, { reason: "矩阵" }, as(c)),
      expected: [401, 403, 403, 403, 403, 403, 403, 403, 200, 200] },
    { route: "POST /api/providers/:id/revoke", target: "a fresh pending provider",
      call: async (c) => api.post(`/api/providers/${await pendingOrganization("provider")}/revoke`, { reason: "矩阵" }, as(c)),
      expected: [401, 403, 403, 403, 403, 403, 403, 403, 200, 200] },
    { route: "DELETE /api/organization/members/:userId", target: "a fresh member of enterprise A",
      call: async (c) => {
        const member = await orgMember(api, callers.entAdminA as unknown as TestUser, "enterprise_member");
        const res = await api.call("DELETE", `/api/organization/members/${member.id}`, as(c));
        expect((await api.get("/api/me", { token: member.token })).status, "removed member's session").to.equal(res.status === 200 ? 401 : 200);
        return res;
      },
      expected: [401, 403, 200, 403, 404, 404, 403, 404, 404, 403] },
    { route: "GET /api/organization/invitations", call: (c) => api.get("/api/organization/invitations", as(c)),
      expected: [401, 403, 200, 403, 200, 200, 403, 200, 200, 403] },
    { route: "DELETE /api/organization/invitations/:id", target: "a fresh invitation into enterprise A",
      call: async (c) => {
        const email = uniqueEmail("revokable");
        await invite(callers.entAdminA, email, "enterprise_member");
        const list = await api.get("/api/organization/invitations", as(callers.entAdminA));
        const id = list.body.items.find((x: { email: string }) => x.email === email).id;
        return api.call("DELETE", `/api/organization/invitations/${id}`, as(c));
      },
      expected: [401, 403, 200, 403, 404, 404, 403, 404, 404, 403] },

    //           anon user A    A-mb B    P    P-st Q    bur  rev
    { route: "GET /api/categories", call: (c) => api.get("/api/categories", as(c)),
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "GET /api/instruments", call: (c) => api.get("/api/instruments?q=光谱", as(c)),
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "POST /api/instruments", target: "a new instrument of the caller's provider (the bureau: for P)",
      call: (c) => api.post("/api/instruments", { ...instrumentBody(), ...onBehalfOfP(c) }, as(c)),
      expected: [401, 403, 403, 403, 403, 201, 201, 403, 201, 403], callerCodes: NOT_APPROVED },
    { route: "GET /api/instruments/:id", target: "P's instrument", call: (c) => api.get(`/api/instruments/${w.instrumentP}`, as(c)),
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "PATCH /api/instruments/:id", target: "P's instrument", call: (c) => patchCatalog("instruments", w.instrumentP, c),
      expected: [401, 403, 403, 403, 403, 200, 200, 403, 200, 403] },
    { route: "GET /api/instruments/:id/blackouts", target: "P's instrument",
      call: (c) => api.get(`/api/instruments/${w.instrumentP}/blackouts`, as(c)),
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "POST /api/instruments/:id/blackouts", target: "P's instrument",
      call: (c) => api.post(`/api/instruments/${w.instrumentP}/blackouts`, { start: "2031-02-01T00:00:00Z", end: "2031-02-02T00:00:00Z", reason: "校准" }, as(c)),
      expected: [401, 403, 403, 403, 403, 201, 201, 403, 201, 403] },
    { route: "DELETE /api/instruments/:id/blackouts/:blackoutId", target: "a fresh window on P's instrument",
      call: (c) => removeFreshBlackout(c),
      expected: [401, 403, 403, 403, 403, 200, 200, 403, 200, 403] },
    { route: "GET /api/packages", call: (c) => api.get("/api/packages", as(c)),
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "POST /api/packages", target: "a new package of P's instrument for the caller's provider (the bureau: for P)",
      call: (c) => api.post("/api/packages", { ...packageBody(), ...onBehalfOfP(c) }, as(c)),
      expected: [401, 403, 403, 403, 403, 201, 201, 403, 201, 403], callerCodes: NOT_APPROVED },
    { route: "GET /api/packages/:id", target: "P's package", call: (c) => api.get(`/api/packages/${w.packageP}`, as(c)),
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "PATCH /api/packages/:id", target: "P's package", call: (c) => patchCatalog("packages", w.packageP, c),
      expected: [401, 403, 403, 403, 403, 200, 200, 403, 200, 403] },
    // Packages across providers (issue 8): only the partner's own members answer for it.
    { route: "GET /api/partner-requests", call: (c) => api.get("/api/partner-requests", as(c)),
      expected: [401, 403, 403, 403, 403, 200, 200, 200, 403, 403] },
    { route: "POST /api/packages/:id/partners/:providerId/accept", target: "R's package of P's instrument, for P",
      call: (c) => api.post(`/api/packages/${w.partnerPackages[0]}/partners/${w.providerP}/accept`, {}, as(c)),
      expected: [401, 403, 403, 403, 403, 200, 200, 403, 403, 403] },
    { route: "POST /api/packages/:id/partners/:providerId/decline", target: "another R's package of P's instrument, for P",
      call: (c) => api.post(`/api/packages/${w.partnerPackages[1]}/partners/${w.providerP}/decline`, {}, as(c)),
      expected: [401, 403, 403, 403, 403, 200, 200, 403, 403, 403] },

    //           anon user A    A-mb B    P    P-st Q    bur  rev
    { route: "GET /api/instruments/:id/availability", target: "P's instrument, one week",
      call: (c) => api.get(`/api/instruments/${w.bookableP}/availability?from=${encodeURIComponent(freshSlot().start)}&to=${encodeURIComponent(new Date(Date.now() + 8 * 86_400_000).toISOString())}`, as(c)),
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "GET /api/packages/:id/schedule", target: "P's package",
      call: (c) => api.get(`/api/packages/${w.packageP}/schedule?start=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`, as(c)),
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "POST /api/bookings", target: "a free hour on P's instrument",
      call: (c) => api.post("/api/bookings", freshSlot(), as(c)),
      expected: [401, 403, 201, 201, 403, 403, 403, 403, 403, 403], callerCodes: { entAdminB: "ENTERPRISE_NOT_APPROVED" } },
    { route: "GET /api/bookings", call: (c) => api.get("/api/bookings", as(c)),
      expected: [401, 403, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "GET /api/bookings/:id", target: "A's booking on P's instrument",
      call: (c) => api.get(`/api/bookings/${w.bookingA}`, as(c)),
      expected: [401, 403, 200, 200, 404, 200, 200, 404, 200, 200] },
    { route: "POST /api/bookings/:id/confirm", target: "a fresh pending booking of A on P's instrument",
      call: (c) => actOnFresh("pending", "confirm", {}, c), expected: ACT_AS_P },
    { route: "POST /api/bookings/:id/reject", target: "a fresh pending booking of A on P's instrument",
      call: (c) => actOnFresh("pending", "reject", { reason: "样品不符" }, c), expected: ACT_AS_P },
    { route: "POST /api/bookings/:id/cancel", target: "a fresh pending booking of A on P's instrument (with a reason)",
      call: (c) => actOnFresh("pending", "cancel", { reason: "计划变更" }, c),
      expected: [401, 403, 200, 200, 404, 200, 200, 404, 403, 403] },
    { route: "POST /api/bookings/:id/check-in", target: "a fresh confirmed booking of A on P's instrument",
      call: (c) => actOnFresh("confirmed", "check-in", {}, c), expected: ACT_AS_P },
    { route: "POST /api/bookings/:id/complete", target: "a fresh booking in progress of A on P's instrument",
      call: (c) => actOnFresh("in_progress", "complete", { contractAmountFen: 10000, reportNumber: "LC-001" }, c), expected: ACT_AS_P },
    { route: "POST /api/bookings/:id/no-show", target: "a fresh confirmed booking of A, after its start",
      call: (c) => noShowFresh(c), expected: ACT_AS_P },

    // Innovation vouchers (issue 10).
    //           anon user A    A-mb B    P    P-st Q    bur  rev
    { route: "GET /api/policies", call: (c) => api.get("/api/policies", as(c)),
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "POST /api/policies", target: "a version from a fresh future day",
      call: (c) => api.post("/api/policies", { ...DEFAULT_POLICY_TERMS, effectiveFrom: `2090-01-${String(1 + ACTORS.indexOf(c.name)).padStart(2, "0")}` }, as(c)),
      expected: [401, 403, 403, 403, 403, 403, 403, 403, 201, 403] },
    { route: "GET /api/quotes", target: "an hour on P's instrument",
      call: (c) => { const s = freshSlot(); return api.get(`/api/quotes?instrumentId=${s.instrumentId}&start=${encodeURIComponent(s.start)}&end=${encodeURIComponent(s.end)}`, as(c)); },
      expected: [401, 403, 200, 200, 200, 403, 403, 403, 403, 403] },
    { route: "GET /api/enterprises/:id/quota", target: "enterprise A",
      call: (c) => api.get(`/api/enterprises/${w.enterpriseA}/quota`, as(c)),
      expected: [401, 403, 200, 200, 404, 403, 403, 403, 200, 200] },
    { route: "POST /api/enterprises/:id/actual-controller", target: "enterprise B (no vouchers)",
      call: (c) => api.post(`/api/enterprises/${w.enterpriseB}/actual-controller`, { actualController: "矩阵控股" }, as(c)),
      expected: [401, 403, 403, 403, 403, 403, 403, 403, 200, 200] },
    { route: "GET /api/vouchers", call: (c) => api.get("/api/vouchers", as(c)),
      expected: [401, 403, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "GET /api/ledger/verify", call: (c) => api.get("/api/ledger/verify", as(c)),
      expected: [401, 403, 403, 403, 403, 403, 403, 403, 200, 200] },
    // Issue 10 (i10-evidence)
    { route: "POST /api/bookings/:id/contract-amount", target: "a fresh completed booking of A whose amount A disputed",
      call: async (c) => api.post(`/api/bookings/${await completedFresh(true)}/contract-amount`, { contractAmountFen: 9000 }, as(c)), expected: ACT_AS_P },
    { route: "POST /api/bookings/:id/contract-amount/acknowledge", target: "a fresh completed booking of A, amount recorded",
      call: async (c) => api.post(`/api/bookings/${await completedFresh(false)}/contract-amount/acknowledge`, {}, as(c)), expected: AS_BOOKER_A },
    { route: "POST /api/bookings/:id/contract-amount/dispute", target: "a fresh completed booking of A, amount recorded",
      call: async (c) => api.post(`/api/bookings/${await completedFresh(false)}/contract-amount/dispute`, { reason: "金额有误" }, as(c)), expected: AS_BOOKER_A },
    { route: "POST /api/uploads", target: "a PDF for the caller's organization", call: (c) => uploadAs(c),
      expected: [401, 403, 201, 201, 201, 201, 201, 201, 201, 201] },
    { route: "GET /api/uploads/:id", target: "A's upload", call: (c) => api.get(`/api/uploads/${w.uploadA}`, as(c)),
      expected: [401, 403, 200, 200, 404, 404, 404, 404, 200, 200] },
    { route: "POST /api/awards", target: "P's award for a year of the caller's own",
      call: (c) => api.post("/api/awards", { providerId: w.providerP, year: 2000 + ACTORS.indexOf(c.name), provincialAwardFen: 100000 }, as(c)), expected: BUREAU_ADMIN_ONLY },
    { route: "GET /api/awards", call: (c) => api.get("/api/awards?year=2026", as(c)), expected: BUREAU_READS },
    { route: "POST /api/admissions", target: "a fresh approved provider",
      call: async (c) => api.post("/api/admissions", { providerId: (await orgAdmin(api, "provider", callers.bureauAdmin.token)).orgId }, as(c)), expected: BUREAU_ADMIN_ONLY },
    { route: "GET /api/admissions/notices", call: (c) => api.get("/api/admissions/notices", as(c)),
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "POST /api/admissions/:id/objections", target: "P's open notice",
      call: (c) => api.post(`/api/admissions/${w.noticeP}/objections`, { reason: "矩阵测试异议" }, as(c)),
      expected: [401, 201, 201, 201, 201, 201, 201, 201, 201, 201] },
    { route: "GET /api/admissions/:id/objections", target: "P's open notice",
      call: (c) => api.get(`/api/admissions/${w.noticeP}/objections`, as(c)), expected: BUREAU_READS },
    { route: "POST /api/admissions/:id/objections/:objectionId/decision", target: "a fresh objection to P's notice",
      call: async (c) => api.post(`/api/admissions/${w.noticeP}/objections/${await freshObjection()}/decision`, { decision: "dismiss" }, as(c)),
      expected: [401, 403, 403, 403, 403, 403, 403, 403, 200, 403] },
    // Issue 10 (i10-settle): claims and settlements.
    //           anon user A    A-mb B    P    P-st Q    bur  rev
    { route: "POST /api/claims", target: "a fresh completed voucher of A, with A's evidence",
      call: async (c) => api.post("/api/claims", claimOf(await freshVoucherOfA()), as(c)),
      expected: [401, 403, 201, 201, 404, 403, 403, 403, 403, 403] },
    { route: "GET /api/claims", call: (c) => api.get("/api/claims", as(c)),
      expected: [401, 403, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "GET /api/claims/:id", target: "A's claim on P's service", call: (c) => api.get(`/api/claims/${w.claimA}`, as(c)),
      expected: [401, 403, 200, 200, 404, 200, 200, 404, 200, 200] },
    { route: "POST /api/claims/:id/review", target: "a fresh submitted claim of A (approve)",
      call: async (c) => api.post(`/api/claims/${await freshClaimOfA(false)}/review`, { decision: "approve" }, as(c)),
      expected: [401, 403, 403, 403, 403, 403, 403, 403, 200, 200] },
    { route: "POST /api/claims/:id/resubmit", target: "a fresh returned claim of A",
      call: async (c) => api.post(`/api/claims/${await freshClaimOfA(true)}/resubmit`, { invoiceNo: "37005678", contractNo: "HT-2", attachments: w.packA }, as(c)),
      expected: [401, 403, 200, 200, 404, 403, 403, 403, 403, 403] },
    { route: "POST /api/settlements", target: "a past month of the caller's own",
      call: (c) => api.post("/api/settlements", { period: `2001-${String(1 + ACTORS.indexOf(c.name)).padStart(2, "0")}` }, as(c)), expected: BUREAU_ADMIN_ONLY },
    { route: "GET /api/settlements", call: (c) => api.get("/api/settlements", as(c)), expected: BUREAU_READS },
    { route: "GET /api/payouts", call: (c) => api.get("/api/payouts", as(c)),
      expected: [401, 403, 200, 200, 200, 200, 200, 200, 403, 403] },
    { route: "GET /api/settlements/:id", target: "the settlement of 2000-12", call: (c) => api.get("/api/settlements/2000-12", as(c)), expected: BUREAU_READS },
    { route: "GET /api/settlements/:id/export", target: "the settlement of 2000-12 as csv",
      call: (c) => api.get("/api/settlements/2000-12/export?format=csv", as(c)), expected: BUREAU_READS },

    // Notifications (issue 11): everyone logged in has their own; someone else's is not found.
    { route: "GET /api/notifications", call: (c) => api.get("/api/notifications?limit=5", as(c)),
      expected: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "GET /api/notifications/unread-count", call: (c) => api.get("/api/notifications/unread-count", as(c)),
      expected: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "POST /api/notifications/read-all", call: (c) => api.post("/api/notifications/read-all", undefined, as(c)),
      expected: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "POST /api/notifications/:id/read", target: "provider P's admin's first notification",
      call: (c) => api.post(`/api/notifications/${w.notificationP}/read`, undefined, as(c)),
      expected: [401, 404, 404, 404, 404, 200, 404, 404, 404, 404] },
    // Issue 11 (i11-catalog): instrument photos.
    //           anon user A    A-mb B    P    P-st Q    bur  rev
    { route: "POST /api/instruments/:id/photos", target: "a PNG for P's instrument",
      call: (c) => uploadPhoto(t.baseUrl, w.photoInstrumentP, c.token, photoPng),
      expected: [401, 403, 403, 403, 403, 201, 201, 403, 403, 403] },
    { route: "PUT /api/instruments/:id/photos/order", target: "P's instrument's photos, reversed",
      call: async (c) => api.call("PUT", `/api/instruments/${w.photoInstrumentP}/photos/order`, { ...as(c), json: { photoIds: (await photosOfP()).reverse() } }),
      expected: P_MEMBERS_ONLY },
    { route: "DELETE /api/instruments/:id/photos/:photoId", target: "a fresh photo of P's instrument",
      call: (c) => removeFreshPhoto(c), expected: P_MEMBERS_ONLY },
    { route: "GET /api/photos/:photoId/:file", target: "the thumbnail of a photo of P's instrument",
      call: (c) => api.get(w.photoThumbP, as(c)),
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    // Issue 11 (i11-detail): a booking's parties, providers' contacts, calendar feeds.
    { route: "GET /api/bookings/:id/parties", target: "A's booking on P's instrument",
      call: (c) => api.get(`/api/bookings/${w.bookingA}/parties`, as(c)),
      expected: [401, 403, 200, 200, 404, 200, 200, 404, 200, 200] },
    { route: "GET /api/providers/:id/contact", target: "approved provider P",
      call: (c) => api.get(`/api/providers/${w.providerP}/contact`, as(c)),
      expected: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    { route: "GET /api/providers/:id/contact", target: "pending provider Q",
      call: (c) => api.get(`/api/providers/${w.providerQ}/contact`, as(c)),
      expected: [401, 404, 404, 404, 404, 404, 404, 200, 200, 200] },
    { route: "PUT /api/providers/:id/contact", target: "provider P",
      call: (c) => api.call("PUT", `/api/providers/${w.providerP}/contact`, { ...as(c), json: { address: "聊城市花园北路 1 号", contactPerson: "王工", phone: "0635-8123456" } }),
      expected: [401, 403, 403, 403, 403, 200, 403, 404, 403, 403] },
    { route: "GET /api/calendar-feeds/me", call: (c) => api.get("/api/calendar-feeds/me", as(c)),
      expected: [401, 403, 200, 200, 200, 200, 200, 200, 403, 403] },
    { route: "POST /api/calendar-feeds/me/reset", call: (c) => api.post("/api/calendar-feeds/me/reset", {}, as(c)),
      expected: [401, 403, 200, 200, 200, 200, 200, 200, 403, 403] },
    { route: "GET /api/instruments/:id/calendar-feed", target: "P's instrument",
      call: (c) => api.get(`/api/instruments/${w.instrumentP}/calendar-feed`, as(c)),
      expected: [401, 403, 403, 403, 403, 200, 200, 404, 403, 403] },
    { route: "POST /api/instruments/:id/calendar-feed/reset", target: "P's instrument",
      call: (c) => api.post(`/api/instruments/${w.instrumentP}/calendar-feed/reset`, {}, as(c)),
      expected: [401, 403, 403, 403, 403, 200, 200, 404, 403, 403] },
    { route: "GET /api/ical/:file", target: "A's admin's feed URL (the token is the credential; a session changes nothing)",
      call: async (c) => {
        const feed = await api.get("/api/calendar-feeds/me", as(callers.entAdminA));
        return api.get(feed.body.path, as(c));
      },
      expected: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    // Statistics (issue 12): the bureau's only; providers and enterprises 403.
    { route: "GET /api/stats/overview", call: (c) => api.get("/api/stats/overview?from=2026-01-01&to=2026-01-31", as(c)), expected: BUREAU_READS },
    { route: "GET /api/stats/monthly", call: (c) => api.get("/api/stats/monthly?from=2026-01-01&to=2026-02-28", as(c)), expected: BUREAU_READS },
    { route: "GET /api/stats/by-county", call: (c) => api.get("/api/stats/by-county", as(c)), expected: BUREAU_READS },
    { route: "GET /api/stats/by-industry", call: (c) => api.get("/api/stats/by-industry", as(c)), expected: BUREAU_READS },
    { route: "GET /api/stats/growth", call: (c) => api.get("/api/stats/growth?baseline=2019-12-31", as(c)), expected: BUREAU_READS },
    // Oversight (issue 12, i12-oversight): budgets and signals the bureau's, ratings the booker's, a provider's own scorecard.
    { route: "GET /api/oversight/budget", call: (c) => api.get("/api/oversight/budget?year=2026", as(c)), expected: BUREAU_READS },
    { route: "PUT /api/oversight/budget/:year", target: "a year of the caller's own, first version",
      call: (c) => api.call("PUT", `/api/oversight/budget/${2040 + ACTORS.indexOf(c.name)}`, { json: { provinceBudgetFen: 100, cityBudgetFen: 50, expectedVersion: 0 }, ...as(c) }), expected: BUREAU_ADMIN_ONLY },
    { route: "GET /api/oversight/scorecards", call: (c) => api.get("/api/oversight/scorecards?year=2026", as(c)), expected: BUREAU_READS },
    { route: "GET /api/providers/:id/scorecard", target: "P's scorecard", call: (c) => api.get(`/api/providers/${w.providerP}/scorecard`, as(c)),
      expected: [401, 403, 403, 403, 403, 200, 200, 404, 200, 200] },
    { route: "POST /api/bookings/:id/rating", target: "a fresh completed booking of A",
      call: async (c) => api.post(`/api/bookings/${await completedFresh(false)}/rating`, { stars: 4 }, as(c)), expected: [401, 403, 201, 201, 404, 403, 403, 403, 403, 403] },
    { route: "GET /api/bookings/:id/rating", target: "A's booking on P", call: (c) => api.get(`/api/bookings/${w.bookingA}/rating`, as(c)),
      expected: [401, 403, 200, 200, 404, 200, 200, 404, 200, 200] },
    { route: "GET /api/oversight/signals", call: (c) => api.get("/api/oversight/signals", as(c)), expected: BUREAU_READS },
    { route: "POST /api/oversight/signals/:id/reviews", target: "a signal id",
      call: (c) => api.post("/api/oversight/signals/repeat_pair:e1:p1/reviews", { decision: "dismissed", note: "矩阵测试" }, as(c)), expected: [401, 403, 403, 403, 403, 403, 403, 403, 201, 201] },
    // Live utilization (issue 12, i12-live): the bureau all, a provider member (Q's pending one too) its own instruments.
    { route: "GET /api/stats/utilization", call: (c) => api.get("/api/stats/utilization?from=2026-01-01&to=2026-01-31&groupBy=provider", as(c)),
      expected: [401, 403, 403, 403, 403, 200, 200, 200, 200, 200] },
    { route: "GET /api/stats/utilization", target: "P's instruments, asked by another provider", call: (c) => api.get(`/api/stats/utilization?providerId=${w.providerP}`, as(c)),
      expected: [401, 403, 403, 403, 403, 200, 200, 403, 200, 200] },
    { route: "GET /api/stats/live", call: (c) => api.get("/api/stats/live", as(c)),
      expected: [401, 403, 403, 403, 403, 200, 200, 200, 200, 200] },
    { route: "GET /api/stats/top", call: (c) => api.get("/api/stats/top?by=instrument&limit=5", as(c)), expected: BUREAU_READS },
    { route: "GET /api/stats/settlement-speed", call: (c) => api.get("/api/stats/settlement-speed?from=2026-01-01&to=2026-02-28", as(c)), expected: BUREAU_READS },

    // Audit log and provincial data exchange (branch i12-exchange): the bureau's alone.
    { route: "GET /api/audit", call: (c) => api.get("/api/audit?kind=claim", as(c)), expected: BUREAU_READS },
    { route: "GET /api/audit/export", call: (c) => api.get("/api/audit/export?format=json", as(c)), expected: BUREAU_READS },
    { route: "GET /api/exchange/export", call: (c) => api.get("/api/exchange/export?period=2026-01&kind=vouchers", as(c)), expected: BUREAU_READS },
    { route: "GET /api/exchange/outbox", call: (c) => api.get("/api/exchange/outbox?limit=5", as(c)), expected: BUREAU_READS },
  ];

  before(async function () {
    this.timeout(60_000);
    t = await startTestServer("authz");
    api = apiClient(t.baseUrl);

    const bureauToken = await login(api, t.admin.email, t.admin.password);
    const bureauAdmin: TestUser = { id: "", ...t.admin, token: bureauToken, orgId: "bureau" };
    const [entAdminA, entAdminB, provAdminP, provAdminQ, noOrg, spare, bureauReviewer] = await Promise.all([
      orgAdmin(api, "enterprise", bureauToken),
      orgAdmin(api, "enterprise"),
      orgAdmin(api, "provider", bureauToken),
      orgAdmin(api, "provider"),
      registerUser(api, "noorg"),
      registerUser(api, "spare"),
      orgMember(api, bureauAdmin, "bureau_reviewer"),
    ]);
    const [entMemberA, provStaffP] = await Promise.all([
      orgMember(api, entAdminA, "enterprise_member"),
      orgMember(api, provAdminP, "provider_staff"),
    ]);
    Object.assign(callers, {
      anonymous: { name: "anonymous" },
      noOrg: caller("noOrg", noOrg),
      entAdminA: caller("entAdminA", entAdminA),
      entMemberA: caller("entMemberA", entMemberA),
      entAdminB: caller("entAdminB", entAdminB),
      provAdminP: caller("provAdminP", provAdminP),
      provStaffP: caller("provStaffP", provStaffP),
      provAdminQ: caller("provAdminQ", provAdminQ),
      bureauAdmin: caller("bureauAdmin", bureauAdmin),
      bureauReviewer: caller("bureauReviewer", { ...bureauReviewer, orgId: "bureau" }),
    } satisfies Record<ActorName, Caller>);

    const nameOf = async (id: string) => (await api.get(`/api/providers/${id}`, { token: bureauToken })).body.name;
    Object.assign(w, {
      enterpriseA: entAdminA.orgId,
      enterpriseB: entAdminB.orgId,
      providerP: provAdminP.orgId,
      providerQ: provAdminQ.orgId,
      providerPName: await nameOf(provAdminP.orgId!),
      providerQName: await nameOf(provAdminQ.orgId!),
      spare,
      invitationToA: await invite(callers.entAdminA, uniqueEmail("someone"), "enterprise_member"),
    });
    const instrument = await api.post("/api/instruments", instrumentBody(), as(callers.provAdminP));
    expect(instrument.status, JSON.stringify(instrument.body)).to.equal(201);
    w.instrumentP = instrument.body.id;
    const pkg = await api.post("/api/packages", packageBody(), as(callers.provAdminP));
    expect(pkg.status, JSON.stringify(pkg.body)).to.equal(201);
    w.packageP = pkg.body.id;
    const provAdminR = await orgAdmin(api, "provider", bureauToken);
    w.partnerPackages = [];
    for (let i = 0; i < 2; i++) {
      const partnerPkg = await api.post("/api/packages", packageBody(), as({ ...provAdminR, name: "provAdminP" }));
      expect(partnerPkg.status, JSON.stringify(partnerPkg.body)).to.equal(201);
      w.partnerPackages.push(partnerPkg.body.id);
    }
    const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
    const bookable = await api.post("/api/instruments", { ...instrumentBody(), openHours: allDay, slotMinutes: 60 }, as(callers.provAdminP));
    expect(bookable.status, JSON.stringify(bookable.body)).to.equal(201);
    w.bookableP = bookable.body.id;
    w.bookingA = (await freshBooking("pending")).id;
    w.notificationP = `${provAdminP.id}:1`;
    await t.server.services.notificationFollower.idle();
    w.uploadA = (await uploadAs(callers.entAdminA)).body.id;
    const notice = await api.post("/api/admissions", { providerId: w.providerP }, as(callers.bureauAdmin));
    expect(notice.status, JSON.stringify(notice.body)).to.equal(201);
    w.noticeP = notice.body.id;
    w.packA = await Promise.all(["contract", "invoice", "payment_proof"].map(async (kind) => ({ kind, uploadId: (await uploadAs(callers.entAdminA)).body.id })));
    w.claimA = await freshClaimOfA(false);
    expect((await api.post("/api/settlements", { period: "2000-12" }, as(callers.bureauAdmin))).status).to.equal(201);
    photoPng = await picture("png", 64, 48);
    w.photoInstrumentP = (await api.post("/api/instruments", instrumentBody(), as(callers.provAdminP))).body.id;
    w.photoThumbP = (await uploadPhoto(t.baseUrl, w.photoInstrumentP, callers.provAdminP.token, photoPng)).body.items[0].thumbUrl;

    // The operations the server describes, read the way any client reads them.
    const doc = await api.get("/api/openapi.json");
    expect(doc.status).to.equal(200);
    operations = operationsOf(doc.body);
  });
  after(() => t?.stop());

  it("has a row for every operation of the OpenAPI document, only for real operations, each with a status per caller", () => {
    expect(operations.length, "operations in GET /api/openapi.json").to.be.greaterThan(50);
    const problems = coverageProblems(operations, MATRIX, ACTORS, "test/integration/authorization.test.ts");
    expect(problems, problems.join("\n")).to.deep.equal([]);
  });

  for (const row of MATRIX) {
    describe(`${row.route}${row.target ? ` — ${row.target}` : ""}`, () => {
      ACTORS.forEach((name, column) => {
        const status = row.expected[column]!;
        const code = (status >= 400 ? row.callerCodes?.[name] : undefined) ?? row.codes?.[status] ?? GENERIC_CODE[status];
        it(`${name} → ${status}${code ? ` ${code}` : ""}`, async () => {
          const res = await row.call(callers[name]);
          const context = `${row.route} as ${name}: ${JSON.stringify(res.body)?.slice(0, 300)}`;
          expect(res.status, context).to.equal(status);
          if (status >= 400) expectError(res, code, context);
        });
      });
    });
  }

  describe("what GET /api/me tells each caller", () => {
    const bureau = () => ({ id: "bureau", type: "bureau", status: "approved" });
    const EXPECTED: Record<Exclude<ActorName, "anonymous">, () => { roles: Role[]; org: object | null }> = {
      noOrg: () => ({ roles: [], org: null }),
      entAdminA: () => ({ roles: ["enterprise_admin"], org: { id: w.enterpriseA, type: "enterprise", status: "approved" } }),
      entMemberA: () => ({ roles: ["enterprise_member"], org: { id: w.enterpriseA, type: "enterprise", status: "approved" } }),
      entAdminB: () => ({ roles: ["enterprise_admin"], org: { id: w.enterpriseB, type: "enterprise", status: "pending" } }),
      provAdminP: () => ({ roles: ["provider_admin"], org: { id: w.providerP, type: "provider", status: "approved" } }),
      provStaffP: () => ({ roles: ["provider_staff"], org: { id: w.providerP, type: "provider", status: "approved" } }),
      provAdminQ: () => ({ roles: ["provider_admin"], org: { id: w.providerQ, type: "provider", status: "pending" } }),
      bureauAdmin: () => ({ roles: ["bureau_admin"], org: bureau() }),
      bureauReviewer: () => ({ roles: ["bureau_reviewer"], org: bureau() }),
    };
    for (const [name, expected] of Object.entries(EXPECTED) as [keyof typeof EXPECTED, (typeof EXPECTED)[keyof typeof EXPECTED]][]) {
      it(`tells ${name} their own organization and roles`, async () => {
        const { roles, org } = expected();
        const res = await api.get("/api/me", as(callers[name]));
        expect(res.status).to.equal(200);
        expect(res.body.user.email).to.equal(callers[name].email!.toLowerCase());
        expect(res.body.roles).to.deep.equal(roles);
        if (org) expect(res.body.organization).to.deep.include(org);
        else expect(res.body.organization).to.equal(null);
      });
    }
  });

  describe("listing providers", () => {
    const pendingQ = () => `/api/providers?status=pending&q=${encodeURIComponent(w.providerQName)}`;

    for (const name of ACTORS.filter((a) => !a.startsWith("bureau"))) {
      it(`shows ${name} only approved providers, even when asking for pending ones`, async () => {
        const c = callers[name];
        expect((await api.get(pendingQ(), as(c))).body.items).to.deep.equal([]);
        const all = await api.get("/api/providers?pageSize=100", as(c));
        expect(all.status).to.equal(200);
        expect(all.body.items.map((p: { status: string }) => p.status)).to.satisfy((s: string[]) => s.every((x) => x === "approved"));
        const ids = all.body.items.map((p: { id: string }) => p.id);
        expect(ids).to.include(w.providerP).and.not.include(w.providerQ);
      });
    }

    for (const name of ["bureauAdmin", "bureauReviewer"] as const) {
      it(`shows ${name} pending providers with ?status=pending`, async () => {
        const res = await api.get(pendingQ(), as(callers[name]));
        expect(res.status).to.equal(200);
        expect(res.body.items.map((p: { id: string }) => p.id)).to.deep.equal([w.providerQ]);
        const approved = await api.get(`/api/providers?status=pending&q=${encodeURIComponent(w.providerPName)}`, as(callers[name]));
        expect(approved.body.items).to.deep.equal([]);
      });
    }
  });

  describe("listing members", () => {
    const ORGS: Record<string, ActorName[]> = {
      "enterprise A": ["entAdminA", "entMemberA"],
      "enterprise B": ["entAdminB"],
      "provider P": ["provAdminP", "provStaffP"],
      "provider Q": ["provAdminQ"],
      "the bureau": ["bureauAdmin", "bureauReviewer"],
    };
    const emailsOf = (names: ActorName[]) => names.map((n) => callers[n].email!.toLowerCase()).sort();

    for (const [org, members] of Object.entries(ORGS)) {
      for (const name of members) {
        it(`shows ${name} exactly the members of ${org}, with their roles`, async () => {
          const res = await api.get("/api/organization/members", as(callers[name]));
          expect(res.status).to.equal(200);
          // Members invited by other cells of the matrix may join A later; compare with the ones we know.
          const emails = res.body.items.map((m: { email: string }) => m.email).sort();
          expect(emails).to.include.members(emailsOf(members));
          const outsiders = ACTORS.filter((a) => a !== "anonymous" && !members.includes(a));
          expect(emails).to.not.include.any.members(emailsOf(outsiders));
          for (const m of res.body.items) expect(m).to.have.keys("userId", "email", "name", "role", "joinedAt");
        });
      }
    }
  });

  describe("invitations", () => {
    const CROSS_TYPE: [ActorName, Role][] = [
      ["entAdminA", "provider_staff"],
      ["entAdminA", "bureau_reviewer"],
      ["entAdminB", "provider_admin"],
      ["provAdminP", "enterprise_member"],
      ["provAdminQ", "bureau_admin"],
      ["bureauAdmin", "enterprise_admin"],
      ["bureauAdmin", "provider_staff"],
    ];
    for (const [name, role] of CROSS_TYPE) {
      it(`refuses ${name} inviting into ${role}, a role of another organization type: 400 VALIDATION_FAILED`, async () => {
        const res = await api.post("/api/organization/invitations", { email: uniqueEmail(), role }, as(callers[name]));
        expect(res.status).to.equal(400);
        expect(res.body.error.code).to.equal("VALIDATION_FAILED");
        expect(res.body.error.fields.map((f: { field: string }) => f.field)).to.deep.equal(["/body/role"]);
      });
    }

    it("answers 403 INVITATION_EMAIL_MISMATCH to anyone but the addressee, and leaves the invitation usable", async () => {
      const addressee = await registerUser(api, "addressee");
      const token = await invite(callers.entAdminA, addressee.email, "enterprise_member");
      for (const name of ["noOrg", "entAdminB", "bureauReviewer"] as const) {
        const res = await api.post(`/api/invitations/${token}/accept`, undefined, as(callers[name]));
        expect(res.status, name).to.equal(403);
        expectError(res, "INVITATION_EMAIL_MISMATCH", name);
      }
      expect((await api.get("/api/me", as(callers.noOrg))).body.organization).to.equal(null);
      const accepted = await api.post(`/api/invitations/${token}/accept`, undefined, { token: addressee.token });
      expect(accepted.status).to.equal(200);
      expect(accepted.body.organization.id).to.equal(w.enterpriseA);
      expect(accepted.body.roles).to.deep.equal(["enterprise_member"]);
    });
  });
});
