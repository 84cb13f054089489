// One-line builders of valid accounts data through the real API. Each call makes fresh, unique data.
import { randomBytes, randomInt } from "node:crypto";
import { expect } from "chai";
import { creditCodeCheckChar } from "../../shared/credit-code";
import type { Role } from "../../shared/enums";
import type { ApiClient } from "../support/http";

const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${randomBytes(5).toString("hex")}@example.test`;
}

/** A valid unified social credit code: a Liaocheng-looking prefix, random body, correct check char. */
export function validCreditCode(): string {
  let body = "91371500"; // registration-authority and type "91", region code 371500 (聊城)
  for (let i = 0; i < 9; i++) body += ALPHABET[randomInt(ALPHABET.length)];
  return body + creditCodeCheckChar(body);
}

export function enterpriseBody(overrides: Record<string, unknown> = {}) {
  return {
    name: `测试轴承有限公司 ${randomBytes(3).toString("hex")}`,
    creditCode: validCreditCode(),
    county: "linqing",
    industry: "bearings",
    size: "small",
    ...overrides,
  };
}

export function providerBody(overrides: Record<string, unknown> = {}) {
  return { name: `测试检测中心 ${randomBytes(3).toString("hex")}`, kind: "municipal_lab", county: "dongchangfu", ...overrides };
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
  orgId?: string;
}

export async function registerUser(api: ApiClient, prefix = "user"): Promise<TestUser> {
  const email = uniqueEmail(prefix);
  const password = "correct horse battery";
  const res = await api.post("/api/auth/register", { email, password, name: "测试用户" });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return { id: res.body.user.id, email, password, token: res.body.token };
}

export async function login(api: ApiClient, email: string, password: string): Promise<string> {
  const res = await api.post("/api/auth/login", { email, password });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body.token;
}

/** A user who registered an organization (pending unless `approveWith` is a bureau token). */
export async function orgAdmin(
  api: ApiClient,
  type: "enterprise" | "provider",
  approveWith?: string,
): Promise<TestUser> {
  const user = await registerUser(api, type);
  const res = await api.post(`/api/${type}s`, type === "enterprise" ? enterpriseBody() : providerBody(), {
    token: user.token,
  });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  if (approveWith) {
    const review = await api.post(`/api/${type}s/${res.body.id}/review`, { decision: "approve" }, { token: approveWith });
    expect(review.status, JSON.stringify(review.body)).to.equal(200);
  }
  return { ...user, orgId: res.body.id };
}

/** Invites a new user into the admin's organization with `role` and returns them, joined. */
export async function orgMember(api: ApiClient, admin: TestUser, role: Role): Promise<TestUser> {
  const user = await registerUser(api, role);
  const inv = await api.post("/api/organization/invitations", { email: user.email, role }, { token: admin.token });
  expect(inv.status, JSON.stringify(inv.body)).to.equal(201);
  const acc = await api.post(`/api/invitations/${inv.body.token}/accept`, undefined, { token: user.token });
  expect(acc.status, JSON.stringify(acc.body)).to.equal(200);
  return { ...user, orgId: admin.orgId };
}
