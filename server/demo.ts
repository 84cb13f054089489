// Demo log-ins for a fresh database (LABSHARE_DEMO=1): one user per role, their organizations
// approved, so every part of the platform can be tried at once. Runs only on an empty database.
import type { County, Industry } from "../shared/enums";
import { creditCodeCheckChar } from "../shared/credit-code";
import type { Services } from "./app";
import type { Actor } from "./modules/accounts/actor";

export const DEMO_PASSWORD = "labshare-demo";

export interface DemoLogin {
  role: string;
  email: string;
  password: string;
}

function creditCode(prefix17: string): string {
  return prefix17 + creditCodeCheckChar(prefix17);
}

async function registerUser(s: Services, email: string, name: string): Promise<Actor> {
  const { user } = await s.accounts.register({ email, password: DEMO_PASSWORD, name });
  return { userId: user.id, email, name, membership: null };
}

export async function seedDemo(s: Services, bureauAdmin: Actor): Promise<DemoLogin[]> {
  const enterprise = await registerUser(s, "enterprise@demo.labshare", "王经理");
  const ent = await s.organizations.createEnterprise(enterprise, {
    name: "聊城凯瑞轴承科技有限公司",
    creditCode: creditCode("91371500MA3C7K2P1"),
    county: "linqing" satisfies County,
    industry: "bearings" satisfies Industry,
    size: "small",
  });
  await s.organizations.review(bureauAdmin, "enterprise", ent.id, { decision: "approve" });

  const provider = await registerUser(s, "provider@demo.labshare", "李主任");
  const prov = await s.organizations.createProvider(provider, {
    name: "鲁西质量检验检测中心",
    kind: "national_center",
    county: "dongchangfu",
  });
  await s.organizations.review(bureauAdmin, "provider", prov.id, { decision: "approve" });

  const pending = await registerUser(s, "newcomer@demo.labshare", "赵创业");
  await s.organizations.createEnterprise(pending, {
    name: "高唐新材料创客团队",
    creditCode: creditCode("92371526MA94XQ8L0"),
    county: "gaotang",
    industry: "new_materials",
    size: "micro",
  });

  return [
    { role: "enterprise_admin", email: enterprise.email, password: DEMO_PASSWORD },
    { role: "provider_admin", email: provider.email, password: DEMO_PASSWORD },
    { role: "enterprise_admin (pending review)", email: pending.email, password: DEMO_PASSWORD },
  ];
}
