// Builds the demo city as plain documents, deterministically: a seeded generator, fixed `_id`s and
// dates fixed in the article's time frame (platform since 2018, the voucher push of 2020–2021,
// the article's figures as of the end of August 2021). No database here; seed.ts writes the result.
import { creditCodeCheckChar } from "../../shared/credit-code";
import type { County, EnterpriseSize, Industry, InstrumentStatus, OrgStatus, Role } from "../../shared/enums";
import type { OpenRange } from "../../shared/schemas/catalog";
import type { StoredEvent } from "../db/event-store";
import type { EnterpriseDoc, MembershipDoc, ProviderDoc, UserDoc } from "../modules/accounts/model";
import { providerNameKey } from "../modules/accounts/organizations";
import { BUREAU_ORG_ID } from "../modules/accounts/service";
import { searchTextOf, type InstrumentDoc, type PackageDoc, type PackageItemDoc } from "../modules/catalog/model";
import { foldText } from "../modules/catalog/search-index";
import { decisionStream } from "../modules/catalog/partners";
import {
  COMPANY_SUFFIXES,
  COUNTY_BOOSTS,
  COUNTY_NAME_PREFIX,
  COUNTY_REGION_CODE,
  COUNTY_WEIGHTS,
  GIVEN_NAMES,
  INDUSTRY_NAME_WORDS,
  INDUSTRY_SHARES,
  PACKAGES,
  PROVIDERS,
  REJECTION_REASONS,
  SURNAMES,
  TRADE_NAMES,
  type ProviderSpec,
} from "./data";
import { INSTRUMENT_TEMPLATES, TEMPLATE_BY_KEY, type InstrumentTemplate } from "./instrument-data";
import { quota, Random } from "./random";

export const DEMO_PASSWORD = "labshare-demo";
const SEED = 20210831; // the article's "1–8 月" cut-off

// The article's figures (齐鲁晚报, early 2022, on 2020 – Aug 2021).
export const DEMO_FIGURES = {
  instruments: 1177,
  instrumentsAtBaseline: 423, // 入网设备从 2019 年的 423 台套增加到 1177 台套
  enterprises: 745,
  enterprisesAtBaseline: 316, // 企业注册数量从 2019 年的 316 家提升到 745 家
  registry: 594, // 科技型中小企业入库 594 家
  registryAtBaseline: 46, // 较 2019 年底增长 1178% → 594 / 12.78
  rejected: 12, // not in the article: a few turned down, so the bureau's history shows both outcomes
} as const;

// Times are Asia/Shanghai (UTC+8, no DST), stored in UTC.
const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const shanghaiDay = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) - SHANGHAI_OFFSET_MS;
const BASELINE = shanghaiDay(2020, 1, 1); // "2019 年底"
const END = shanghaiDay(2021, 9, 1); // exclusive: the data stop at the end of August 2021

/** A working-hours moment (08:30–18:00 Shanghai) on a day in [fromMs, toMs). */
function workTime(rng: Random, fromMs: number, toMs: number): Date {
  const firstDay = Math.ceil((fromMs + SHANGHAI_OFFSET_MS) / DAY_MS);
  const lastDay = Math.max(firstDay, Math.floor((toMs + SHANGHAI_OFFSET_MS - 1) / DAY_MS));
  const day = rng.int(firstDay, lastDay);
  const minutes = rng.int(8 * 60 + 30, 17 * 60 + 59);
  return new Date(day * DAY_MS - SHANGHAI_OFFSET_MS + minutes * 60_000);
}

function daysAfter(rng: Random, from: Date, min: number, max: number, capMs = END - DAY_MS): Date {
  const start = Math.min(from.getTime() + min * DAY_MS, capMs);
  return workTime(rng, start, Math.min(from.getTime() + (max + 1) * DAY_MS, capMs + DAY_MS));
}

export interface DemoLogin {
  role: Role;
  email: string;
  password: string;
  /** The user's organization and, when it is not admitted, where it stands ("registration pending review"). */
  organization: string;
  note?: string;
}

export interface DemoCity {
  providers: ProviderDoc[];
  enterprises: EnterpriseDoc[];
  users: UserDoc[];
  memberships: MembershipDoc[];
  instruments: InstrumentDoc[];
  packages: PackageDoc[];
  events: StoredEvent[];
  logins: DemoLogin[];
}

/** The n-th (from 0) as a fixed-width number from 1: the `_id`s and e-mails of the demo city. */
const nth = (i: number, width: number) => String(i + 1).padStart(width, "0");
export const providerId = (i: number) => `demo-prov-${nth(i, 2)}`;
export const enterpriseId = (i: number) => `demo-ent-${nth(i, 4)}`;
export const instrumentId = (i: number) => `demo-inst-${nth(i, 4)}`;
export const packageId = (i: number) => `demo-pkg-${nth(i, 2)}`;

const DEMO_ENTERPRISE = {
  name: "聊城凯瑞轴承科技有限公司",
  creditBody: "91371500MA3C7K2P1",
  county: "linqing",
  industry: "bearings",
  size: "small",
} as const;
const DEMO_PENDING = {
  name: "高唐新材料创客团队",
  creditBody: "92371526MA94XQ8L0",
  county: "gaotang",
  industry: "new_materials",
  size: "micro",
} as const;

/** The named demo users; every other generated user signs in with the same password too. */
const DEMO_USERS = {
  bureauAdmin: { _id: "demo-user-bureau-admin", email: "admin@demo.labshare", name: "市科技局管理员" },
  reviewer: { _id: "demo-user-bureau-reviewer", email: "reviewer@demo.labshare", name: "宋科长" },
  providerAdmin: { _id: "demo-user-prov-01", email: "provider@demo.labshare", name: "李主任" },
  providerStaff: { _id: "demo-user-prov-01-staff", email: "staff@demo.labshare", name: "刘工程师" },
  enterpriseAdmin: { _id: "demo-user-ent-0001", email: "enterprise@demo.labshare", name: "王经理" },
  enterpriseMember: { _id: "demo-user-ent-0001-member", email: "member@demo.labshare", name: "张研发" },
  pendingAdmin: {
    _id: `demo-user-ent-${nth(DEMO_FIGURES.enterprises - 1, 4)}`,
    email: "newcomer@demo.labshare",
    name: "赵创业",
  },
} as const;

/** The demo log-ins, one per role (the bureau admin only when no admin is configured). */
export function demoLogins(includeBureauAdmin: boolean): (DemoLogin & { userId: string })[] {
  const u = DEMO_USERS;
  const bureau = "市科学技术局";
  const provider = PROVIDERS[0]!.name;
  // Notes on where an organization stands come from the database (seed.ts), never from here.
  const login = (user: { _id: string; email: string }, role: Role, organization: string) => ({
    userId: user._id,
    role,
    email: user.email,
    password: DEMO_PASSWORD,
    organization,
  });
  return [
    ...(includeBureauAdmin ? [login(u.bureauAdmin, "bureau_admin", bureau)] : []),
    login(u.reviewer, "bureau_reviewer", bureau),
    login(u.enterpriseAdmin, "enterprise_admin", DEMO_ENTERPRISE.name),
    login(u.enterpriseMember, "enterprise_member", DEMO_ENTERPRISE.name),
    login(u.pendingAdmin, "enterprise_admin", DEMO_PENDING.name),
    login(u.providerAdmin, "provider_admin", provider),
    login(u.providerStaff, "provider_staff", provider),
  ];
}

function personName(rng: Random): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN_NAMES);
}

class CityBuilder {
  readonly city: DemoCity;
  private readonly templateOf = new Map<string, string>(); // instrument id → template key

  constructor(
    private readonly passwordHash: string,
    private readonly includeBureauAdmin: boolean,
  ) {
    this.city = {
      providers: [],
      enterprises: [],
      users: [],
      memberships: [],
      instruments: [],
      packages: [],
      events: [],
      logins: [],
    };
  }

  build(): DemoCity {
    const root = new Random(SEED);
    this.buildBureau();
    this.buildProviders(root.fork("providers"));
    this.buildEnterprises(root.fork("enterprises"));
    this.buildInstruments(root.fork("instruments"));
    this.buildPackages(root.fork("packages"));
    this.city.logins = demoLogins(this.includeBureauAdmin).map(({ userId: _, ...login }) => login);
    return this.city;
  }

  private addUser(user: { _id: string; email: string; name: string }, createdAt: Date): void {
    this.city.users.push({ ...user, passwordHash: this.passwordHash, locale: "zh-CN", createdAt });
  }

  private addMember(userId: string, orgType: MembershipDoc["orgType"], orgId: string, role: Role, at: Date): void {
    this.city.memberships.push({ _id: userId, orgType, orgId, role, joinedAt: at });
  }

  /** The first admin of a generated organization: `ent0042@demo.labshare` for demo-ent-0042. */
  private generatedAdmin(rng: Random, kind: "prov" | "ent", number: string) {
    return { _id: `demo-user-${kind}-${number}`, email: `${kind}${number}@demo.labshare`, name: personName(rng) };
  }

  private buildBureau(): void {
    const since = new Date(shanghaiDay(2018, 3, 1) + 9 * 3_600_000);
    if (this.includeBureauAdmin) {
      this.addUser(DEMO_USERS.bureauAdmin, since);
      this.addMember(DEMO_USERS.bureauAdmin._id, "bureau", BUREAU_ORG_ID, "bureau_admin", since);
    }
    this.addUser(DEMO_USERS.reviewer, since);
    this.addMember(DEMO_USERS.reviewer._id, "bureau", BUREAU_ORG_ID, "bureau_reviewer", since);
  }

  /**
   * The registration stream of an organization, as OrganizationsService writes it: event 1
   * "registered" by its first admin, event 2 "reviewed" by the bureau (absent while pending).
   */
  private addOrgEvents(orgId: string, data: Record<string, unknown>, doc: ProviderDoc | EnterpriseDoc): void {
    this.city.events.push({
      _id: `${orgId}:1`,
      aggregateId: orgId,
      seq: 1,
      type: "registered",
      data,
      actorId: doc.createdBy,
      at: doc.createdAt,
    });
    if (doc.status === "pending") return;
    this.city.events.push({
      _id: `${orgId}:2`,
      aggregateId: orgId,
      seq: 2,
      type: "reviewed",
      data: { status: doc.status, ...(doc.reviewReason ? { reason: doc.reviewReason } : {}) },
      actorId: doc.reviewedBy ?? null,
      at: doc.reviewedAt!,
    });
  }

  /** A catalog entry's history starts with event 0, "created", holding the document (as RevisionStore.create does). */
  private addCreatedEvent(doc: InstrumentDoc | PackageDoc, actorId: string): void {
    const { _id, createdAt: at } = doc;
    const data = { doc: { ...doc } };
    this.city.events.push({ _id: `${_id}:0`, aggregateId: _id, seq: 0, type: "created", data, actorId, at });
  }

  private buildProviders(rng: Random): void {
    PROVIDERS.forEach((spec, i) => {
      const _id = providerId(i);
      const institute = spec.kind === "institute";
      const since = institute ? shanghaiDay(2019, 1, 1) : shanghaiDay(2018, 3, 1);
      const createdAt = workTime(rng, since, shanghaiDay(2019, 7, 1));
      const admin = i === 0 ? DEMO_USERS.providerAdmin : this.generatedAdmin(rng, "prov", nth(i, 2));
      const registeredAt = new Date(createdAt.getTime() - rng.int(5, 60) * 60_000);
      this.addUser(admin, registeredAt);
      this.addMember(admin._id, "provider", _id, "provider_admin", createdAt);
      if (i === 0) {
        this.addUser(DEMO_USERS.providerStaff, daysAfter(rng, createdAt, 20, 60));
        const joined = daysAfter(rng, createdAt, 61, 70);
        this.addMember(DEMO_USERS.providerStaff._id, "provider", _id, "provider_staff", joined);
      }
      const doc: ProviderDoc = {
        _id,
        name: spec.name,
        nameKey: providerNameKey(spec.name),
        kind: spec.kind,
        county: spec.county,
        status: "approved",
        version: 2,
        reviewedAt: daysAfter(rng, createdAt, 2, 10),
        reviewedBy: DEMO_USERS.reviewer._id,
        createdBy: admin._id,
        createdAt,
      };
      this.city.providers.push(doc);
      const { name, nameKey, kind, county } = doc;
      this.addOrgEvents(_id, { type: "provider", name, kind, county, nameKey }, doc);
    });
  }

  private buildEnterprises(rng: Random): void {
    const n = DEMO_FIGURES.enterprises;
    const last = n - 1;
    const industries = quota(rng, n, INDUSTRY_SHARES);
    placeAt(industries, 0, DEMO_ENTERPRISE.industry);
    placeAt(industries, last, DEMO_PENDING.industry);
    const { registry, rejected } = DEMO_FIGURES;
    const statuses = quota<OrgStatus>(rng, n, [
      ["pending", n - registry - rejected],
      ["approved", registry],
      ["rejected", rejected],
    ]);
    placeAt(statuses, 0, "approved");
    placeAt(statuses, last, "pending");
    // Who was already on the platform at the end of 2019 (never a pending one: a review takes days, not years).
    const decided = statuses.flatMap((s, i) => (s === "pending" ? [] : [i]));
    const early = new Set(rng.shuffle(decided).slice(0, DEMO_FIGURES.enterprisesAtBaseline));
    const earlyApproved = [...early].filter((i) => statuses[i] === "approved").sort((a, b) => a - b);
    const registeredByBaseline = new Set(rng.shuffle(earlyApproved).slice(0, DEMO_FIGURES.registryAtBaseline));

    const names = new Set<string>([DEMO_ENTERPRISE.name, DEMO_PENDING.name]);
    const codes = new Set<string>([creditCode(DEMO_ENTERPRISE.creditBody), creditCode(DEMO_PENDING.creditBody)]);
    for (let i = 0; i < n; i++) {
      const industry = industries[i]!;
      const status = statuses[i]!;
      const demo = i === 0 ? DEMO_ENTERPRISE : i === last ? DEMO_PENDING : undefined;
      const county: County = demo?.county ?? pickCounty(rng, industry);
      const size: EnterpriseSize = demo?.size ?? rng.weighted(SIZES);
      const name = demo?.name ?? uniqueOf(names, () => companyName(rng, industry, county));
      const code = demo ? creditCode(demo.creditBody) : uniqueOf(codes, () => randomCreditCode(rng, county));

      let createdAt: Date;
      // The pending demo registration is the newest, so it heads the bureau's review queue.
      if (i === last) createdAt = new Date(shanghaiDay(2021, 8, 31) + 10 * 3_600_000);
      else if (status === "pending") createdAt = workTime(rng, shanghaiDay(2021, 5, 1), END - DAY_MS);
      else if (early.has(i)) createdAt = workTime(rng, shanghaiDay(2018, 6, 1), BASELINE - 20 * DAY_MS);
      else createdAt = workTime(rng, BASELINE, END - 20 * DAY_MS);

      let reviewedAt: Date | undefined;
      if (status === "approved" && early.has(i) && !registeredByBaseline.has(i)) {
        // On the platform since 2019, entered the registry in the 2020 push.
        reviewedAt = workTime(rng, shanghaiDay(2020, 3, 1), shanghaiDay(2021, 1, 1));
      } else if (status !== "pending") {
        reviewedAt = daysAfter(rng, createdAt, 2, 15, early.has(i) ? BASELINE - DAY_MS : END - DAY_MS);
      }

      const _id = enterpriseId(i);
      const demoAdmin = i === 0 ? DEMO_USERS.enterpriseAdmin : i === last ? DEMO_USERS.pendingAdmin : undefined;
      const admin = demoAdmin ?? this.generatedAdmin(rng, "ent", nth(i, 4));
      this.addUser(admin, new Date(createdAt.getTime() - rng.int(5, 90) * 60_000));
      this.addMember(admin._id, "enterprise", _id, "enterprise_admin", createdAt);
      if (i === 0) {
        const invited = daysAfter(rng, reviewedAt ?? createdAt, 5, 30);
        this.addUser(DEMO_USERS.enterpriseMember, invited);
        this.addMember(DEMO_USERS.enterpriseMember._id, "enterprise", _id, "enterprise_member", invited);
      }

      const doc: EnterpriseDoc = {
        _id,
        name,
        creditCode: code,
        county,
        industry,
        size,
        status,
        version: status === "pending" ? 1 : 2,
        ...(status === "rejected" ? { reviewReason: rng.pick(REJECTION_REASONS) } : {}),
        ...(reviewedAt ? { reviewedAt, reviewedBy: DEMO_USERS.reviewer._id } : {}),
        createdBy: admin._id,
        createdAt,
      };
      this.city.enterprises.push(doc);
      this.addOrgEvents(_id, { type: "enterprise", name, creditCode: code, county, industry, size }, doc);
    }
  }

  private buildInstruments(rng: Random): void {
    const total = PROVIDERS.reduce((s, p) => s + p.instruments, 0);
    if (total !== DEMO_FIGURES.instruments) throw new Error(`provider instrument counts add up to ${total}`);
    // Each provider's core instruments were on the platform by 2019; the rest of the 423 are drawn at random.
    const plan = PROVIDERS.flatMap((spec, p) => templatesFor(rng, spec).map((drawn) => ({ p, ...drawn })));
    const coreCount = plan.filter((x) => x.core).length;
    const earlyFlags = quota(rng, total - coreCount, [
      [false, total - DEMO_FIGURES.instrumentsAtBaseline],
      [true, DEMO_FIGURES.instrumentsAtBaseline - coreCount],
    ]);
    let e = 0;
    plan.forEach(({ p, template: t, core }, i) => {
      const spec = PROVIDERS[p]!;
      const provider = this.city.providers[p]!;
      const early = core || earlyFlags[e++]!;
      const createdAt = early
        ? workTime(rng, provider.reviewedAt!.getTime() + DAY_MS, BASELINE)
        : workTime(rng, BASELINE, END);
      const doc = instrumentDoc(rng, instrumentId(i), t, spec, provider, core, createdAt);
      this.templateOf.set(doc._id, t.key);
      this.city.instruments.push(doc);
      this.addCreatedEvent(doc, provider.createdBy);
    });
  }

  private buildPackages(rng: Random): void {
    const providerIndex = new Map(PROVIDERS.map((p, i) => [p.key, i]));
    PACKAGES.forEach((spec, j) => {
      const owner = this.city.providers[providerIndex.get(spec.provider)!]!;
      const resolved = spec.items.map((item) => {
        const providerKey = item.provider ?? spec.provider;
        const pid = providerId(providerIndex.get(providerKey)!);
        const instrument = this.city.instruments.find(
          (x) => x.providerId === pid && x.status === "active" && this.templateOf.get(x._id) === item.template,
        );
        if (!instrument) throw new Error(`package ${spec.name}: no active ${item.template} at ${providerKey}`);
        const hourly = instrument.priceUnit === "hour";
        if (!item.flex && hourly !== (item.hours !== undefined)) {
          throw new Error(`package ${spec.name}: ${item.template} is priced per ${instrument.priceUnit}`);
        }
        return { instrument, item, quantity: item.hours ?? item.samples ?? 0 };
      });
      const listOf = () => resolved.reduce((s, r) => s + r.quantity * r.instrument.priceFen, 0);
      const flex = resolved.find((r) => r.item.flex);
      if (flex) {
        const target = spec.listTargetYuan! * 100;
        flex.quantity = 0;
        flex.quantity = Math.max(1, Math.round((target - listOf()) / flex.instrument.priceFen));
        if (Math.abs(listOf() - target) > target * 0.05) {
          throw new Error(`package ${spec.name}: list price ${listOf()} fen is more than 5% off ${target}`);
        }
      }
      if (resolved.some((r) => r.instrument.priceUnit === "hour" && r.quantity * 60 > MAX_ITEM_MINUTES)) {
        throw new Error(`package ${spec.name}: an item is longer than ${MAX_ITEM_MINUTES} minutes`);
      }
      const items: PackageItemDoc[] = resolved.map(({ instrument, quantity }) =>
        instrument.priceUnit === "hour"
          ? { instrumentId: instrument._id, minutes: quantity * 60 }
          : { instrumentId: instrument._id, samples: quantity },
      );
      // A fixed price, or the list price with the package discount, in whole hundreds of yuan.
      const priceFen =
        spec.priceYuan !== undefined ? spec.priceYuan * 100 : Math.round((listOf() * spec.discount!) / 10_000) * 10_000;
      const createdAt =
        spec.purpose === "standard_drafting" && j === 0
          ? new Date(shanghaiDay(2021, 3, 15) + 10 * 3_600_000)
          : workTime(rng, shanghaiDay(2020, 6, 1), END);
      // Partners accepted the demo packages that use their instruments (catalog/partners.ts), so the demo stays bookable.
      const partnerIds = [...new Set(resolved.map((r) => r.instrument.providerId).filter((pid) => pid !== owner._id))];
      const doc: PackageDoc = {
        _id: packageId(j),
        providerId: owner._id,
        providerName: owner.name,
        providerKind: owner.kind,
        county: owner.county,
        name: spec.name,
        nameEn: spec.nameEn,
        description: spec.description,
        purpose: spec.purpose,
        status: "active",
        items,
        priceFen,
        searchText: searchTextOf([spec.name, spec.nameEn, spec.description].map(foldText)),
        termsAt: createdAt.getTime(),
        partnerDecisions: Object.fromEntries(partnerIds.map((pid) => [pid, { decision: "accepted" as const, termsAt: createdAt.getTime() }])),
        createdAt,
        updatedAt: createdAt,
      };
      this.city.packages.push(doc);
      this.addCreatedEvent(doc, owner.createdBy);
      for (const partnerId of partnerIds) {
        const actorId = this.city.providers.find((p) => p._id === partnerId)!.createdBy;
        const aggregateId = decisionStream(doc._id, partnerId);
        const seq = createdAt.getTime();
        this.city.events.push({ _id: `${aggregateId}:${seq}`, aggregateId, seq, type: "accepted", data: { items, priceFen }, actorId, at: createdAt });
      }
    });
  }
}

/** PackageItemInput allows at most 14 days per item (shared/schemas/catalog.ts). */
const MAX_ITEM_MINUTES = 24 * 60 * 14;

const SIZES: [EnterpriseSize, number][] = [
  ["micro", 50],
  ["small", 38],
  ["medium", 12],
];

const STATUSES: [InstrumentStatus, number][] = [
  ["active", 94],
  ["maintenance", 4],
  ["retired", 2],
];

/** The templates a provider certainly has: its own core list and what the packages need of it (so always active). */
function coreOf(spec: ProviderSpec): InstrumentTemplate[] {
  const packaged = PACKAGES.flatMap((pkg) =>
    pkg.items.filter((item) => (item.provider ?? pkg.provider) === spec.key).map((item) => item.template),
  );
  return [...new Set([...spec.core, ...packaged])].map((key) => {
    const t = TEMPLATE_BY_KEY.get(key);
    if (!t) throw new Error(`unknown instrument template ${key}`);
    return t;
  });
}

/** Core templates first (one each), then a weighted draw that favours the provider's specialities. */
function templatesFor(rng: Random, spec: ProviderSpec): { template: InstrumentTemplate; core: boolean }[] {
  const core = coreOf(spec);
  if (core.length > spec.instruments) throw new Error(`${spec.name}: more core instruments than instruments`);
  const university = spec.kind === "university";
  const weights = INSTRUMENT_TEMPLATES.map((t) => {
    const inFocus = t.tags.some((tag) => spec.focus.includes(tag));
    return [t, t.weight * (inFocus ? (university ? 3 : 10) : university ? 1 : 0.05)] as const;
  });
  const rest = Array.from({ length: spec.instruments - core.length }, () => rng.weighted(weights));
  return [
    ...core.map((template) => ({ template, core: true })),
    ...rest.map((template) => ({ template, core: false })),
  ];
}

const WEEKDAYS = [1, 2, 3, 4, 5];
const officeHours = (morning: string): OpenRange[] =>
  WEEKDAYS.flatMap((weekday) => [
    { weekday, start: morning, end: "12:00" },
    { weekday, start: "13:30", end: "17:30" },
  ]);
const ROUND_THE_CLOCK: OpenRange[] = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
  weekday,
  start: "00:00",
  end: "24:00",
}));

/**
 * Open hours and slot length together: a range must be a whole number of slots (catalog rules), so
 * the usual 08:30–12:00 morning goes with 30-minute slots and hour slots start the day at 08:00.
 */
function scheduleFor(rng: Random, t: InstrumentTemplate): { openHours: OpenRange[]; slotMinutes: number } {
  if (t.category === "computing" || (t.longRunning && rng.chance(0.4))) {
    return { openHours: ROUND_THE_CLOCK, slotMinutes: 60 };
  }
  const slotMinutes = t.unit === "hour" && rng.chance(0.3) ? 60 : 30;
  const morning = slotMinutes === 60 ? "08:00" : "08:30";
  const openHours = officeHours(morning);
  if (rng.chance(0.12)) openHours.push({ weekday: 6, start: morning, end: "12:00" });
  return { openHours, slotMinutes };
}

function instrumentDoc(
  rng: Random,
  _id: string,
  t: InstrumentTemplate,
  spec: ProviderSpec,
  provider: ProviderDoc,
  core: boolean,
  createdAt: Date,
): InstrumentDoc {
  const manufacturer = rng.pick(Object.keys(t.makers));
  const model = rng.pick(t.makers[manufacturer]!);
  const priceYuan = Math.round(rng.int(t.price[0], t.price[1]) / 10) * 10;
  const valueYuan = Math.round(rng.int(t.value[0] * 10_000, t.value[1] * 10_000) / 100) * 100;
  const { openHours, slotMinutes } = scheduleFor(rng, t);
  const description =
    `${t.use}。${manufacturer} ${model}，由${spec.name}管理，面向全市中小微企业和创业创客团队开放共享，` +
    `可使用创新券抵扣服务费。`;
  const location = `${spec.site} ${rng.int(1, 4)}号楼 ${rng.int(1, 5)}${String(rng.int(1, 20)).padStart(2, "0")}室`;
  return {
    _id,
    providerId: provider._id,
    providerName: provider.name,
    providerKind: provider.kind,
    county: provider.county,
    name: t.zh,
    nameEn: t.en,
    model,
    manufacturer,
    category: t.category,
    description,
    location,
    priceFen: priceYuan * 100,
    priceUnit: t.unit,
    timezone: "Asia/Shanghai",
    openHours,
    slotMinutes,
    capacity: t.capacity ? rng.int(t.capacity[0], t.capacity[1]) : 1,
    status: core ? "active" : rng.weighted(STATUSES),
    originalValueFen: valueYuan * 100,
    searchText: searchTextOf([t.zh, t.en, model, manufacturer, description].map(foldText)),
    createdAt,
    updatedAt: createdAt,
  };
}

function pickCounty(rng: Random, industry: Industry): County {
  const boosts = COUNTY_BOOSTS[industry] ?? {};
  const counties = Object.entries(COUNTY_WEIGHTS) as [County, number][];
  return rng.weighted(counties.map(([c, w]) => [c, w * (boosts[c] ?? 1)] as const));
}

function companyName(rng: Random, industry: Industry, county: County): string {
  const place = rng.chance(0.2) ? "山东" : rng.pick(COUNTY_NAME_PREFIX[county]);
  const word = rng.pick(INDUSTRY_NAME_WORDS[industry]);
  let suffix = rng.weighted(COMPANY_SUFFIXES);
  // "…轴承科技科技有限公司" reads wrong: a word that already says 科技/制造 takes the plain suffix.
  if (/(科技|制造|技术)$/.test(word) && /^(科技|制造)/.test(suffix)) suffix = "有限公司";
  return `${place}${rng.pick(TRADE_NAMES)}${word}${suffix}`;
}

const CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/** 统一社会信用代码: 9 (工商) + 1 (企业) + region code + organization code + check character (GB 32100). */
function randomCreditCode(rng: Random, county: County): string {
  let org: string;
  if (rng.chance(0.75)) {
    org = "MA" + rng.pick(["3", "4", "9", "C", "D"]);
    while (org.length < 9) org += rng.pick([...CODE_ALPHABET]);
  } else {
    org = "";
    while (org.length < 8) org += String(rng.int(0, 9));
    org += rng.pick([..."0123456789X"]);
  }
  return creditCode(`91${COUNTY_REGION_CODE[county]}${org}`);
}

function creditCode(first17: string): string {
  const check = creditCodeCheckChar(first17);
  if (!check) throw new Error(`not a credit code body: ${first17}`);
  return first17 + check;
}

function uniqueOf(seen: Set<string>, make: () => string): string {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const value = make();
    if (!seen.has(value)) {
      seen.add(value);
      return value;
    }
  }
  throw new Error("could not make a unique value");
}

/** Moves a `value` to position `index` by swapping, keeping the multiset (and so the quota) intact. */
function placeAt<T>(items: T[], index: number, value: T): void {
  if (items[index] === value) return;
  const j = items.findIndex((x, k) => x === value && k !== index && k !== 0 && k !== items.length - 1);
  if (j < 0) throw new Error(`no ${String(value)} to place`);
  [items[index], items[j]] = [items[j]!, items[index]!];
}

/** The whole demo city as documents. Same input, same output: `_id`s, dates and values are fixed. */
export function buildDemoCity(options: { passwordHash: string; includeBureauAdmin: boolean }): DemoCity {
  return new CityBuilder(options.passwordHash, options.includeBureauAdmin).build();
}
