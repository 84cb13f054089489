// Enumerations shared by server, client and tests. Stable codes are stored; labels are for display.

/** The 11 county-level units of the demo city (聊城), see DESIGN.md "Eligibility". */
export const COUNTIES = [
  { code: "dongchangfu", zh: "东昌府区", en: "Dongchangfu District" },
  { code: "chiping", zh: "茌平区", en: "Chiping District" },
  { code: "linqing", zh: "临清市", en: "Linqing City" },
  { code: "yanggu", zh: "阳谷县", en: "Yanggu County" },
  { code: "shenxian", zh: "莘县", en: "Shen County" },
  { code: "donge", zh: "东阿县", en: "Dong'e County" },
  { code: "guanxian", zh: "冠县", en: "Guan County" },
  { code: "gaotang", zh: "高唐县", en: "Gaotang County" },
  { code: "econ_dev_zone", zh: "聊城经济技术开发区", en: "Liaocheng Economic & Technological Development Zone" },
  { code: "hi_tech_zone", zh: "聊城高新技术产业开发区", en: "Liaocheng High-tech Industrial Development Zone" },
  { code: "jiangbei_resort", zh: "江北水城旅游度假区", en: "Jiangbei Water City Tourist Resort" },
] as const;
export type County = (typeof COUNTIES)[number]["code"];
export const COUNTY_CODES = COUNTIES.map((c) => c.code) as unknown as readonly County[];

/** Industries used for the bureau's "share of subsidized enterprises by industry" report. */
export const INDUSTRIES = [
  { code: "bearings", zh: "轴承", en: "Bearings" },
  { code: "auto_parts", zh: "汽车零部件", en: "Auto parts" },
  { code: "chemicals", zh: "化工", en: "Chemicals" },
  { code: "new_materials", zh: "新材料", en: "New materials" },
  { code: "electronics", zh: "电子信息", en: "Electronics & IT" },
  { code: "equipment", zh: "装备制造", en: "Equipment manufacturing" },
  { code: "pharma", zh: "生物医药", en: "Biopharma" },
  { code: "food", zh: "食品加工", en: "Food processing" },
  { code: "agriculture", zh: "现代农业", en: "Modern agriculture" },
  { code: "textiles", zh: "纺织服装", en: "Textiles & apparel" },
  { code: "metals", zh: "有色金属", en: "Non-ferrous metals" },
  { code: "other", zh: "其他", en: "Other" },
] as const;
export type Industry = (typeof INDUSTRIES)[number]["code"];
export const INDUSTRY_CODES = INDUSTRIES.map((i) => i.code) as unknown as readonly Industry[];

export const ENTERPRISE_SIZES = ["micro", "small", "medium"] as const;
export type EnterpriseSize = (typeof ENTERPRISE_SIZES)[number];

export const PROVIDER_KINDS = [
  "national_center",
  "provincial_center",
  "metrology_lab",
  "municipal_lab",
  "university",
  "institute",
] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export const ORG_TYPES = ["enterprise", "provider", "bureau"] as const;
export type OrgType = (typeof ORG_TYPES)[number];

/**
 * Registration review state. An approved enterprise is in the tech-SME registry (科技型中小企业入库).
 * A rejected registration may be corrected and resubmitted (pending again, next round); a revoked
 * one is closed by the bureau for good and releases its credit code or name.
 */
export const ORG_STATUSES = ["pending", "approved", "rejected", "revoked"] as const;
export type OrgStatus = (typeof ORG_STATUSES)[number];

export const REVIEW_DECISIONS = ["approve", "reject"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** A role is always scoped to one organization; a user belongs to at most one. */
export const ROLES = [
  "enterprise_admin",
  "enterprise_member",
  "provider_admin",
  "provider_staff",
  "bureau_admin",
  "bureau_reviewer",
] as const;
export type Role = (typeof ROLES)[number];

/** Roles an organization admin may invite a member into, per organization type. */
export const MEMBER_ROLES: Record<OrgType, { admin: Role; member: Role }> = {
  enterprise: { admin: "enterprise_admin", member: "enterprise_member" },
  provider: { admin: "provider_admin", member: "provider_staff" },
  bureau: { admin: "bureau_admin", member: "bureau_reviewer" },
};

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];

/** The national large-instrument classification (大型科研仪器分类), as stable codes. */
export const CATEGORIES = [
  { code: "analytical", zh: "分析仪器", en: "Analytical instruments" },
  { code: "physical_property", zh: "物理性能测试仪器", en: "Physical property testing" },
  { code: "metrology", zh: "计量仪器", en: "Metrology instruments" },
  { code: "electronic_measurement", zh: "电子测量仪器", en: "Electronic measurement" },
  { code: "marine", zh: "海洋仪器", en: "Marine instruments" },
  { code: "earth_exploration", zh: "地球探测仪器", en: "Earth exploration" },
  { code: "atmospheric", zh: "大气探测仪器", en: "Atmospheric sounding" },
  { code: "special_testing", zh: "特种检测仪器", en: "Special testing" },
  { code: "laser", zh: "激光器", en: "Lasers" },
  { code: "process_testing", zh: "工艺试验仪器", en: "Process testing" },
  { code: "computing", zh: "计算机及其配套设备", en: "Computers & peripherals" },
  { code: "astronomy", zh: "天文仪器", en: "Astronomical instruments" },
  { code: "medical_research", zh: "医学科研仪器", en: "Medical research instruments" },
  { code: "nuclear", zh: "核仪器", en: "Nuclear instruments" },
  { code: "other", zh: "其他仪器", en: "Other instruments" },
] as const;
export type Category = (typeof CATEGORIES)[number]["code"];
export const CATEGORY_CODES = CATEGORIES.map((c) => c.code) as unknown as readonly Category[];

/** Catalog search orders (instruments and packages). */
export const CATALOG_SORTS = ["relevance", "price_asc", "price_desc", "newest", "name"] as const;
export type CatalogSort = (typeof CATALOG_SORTS)[number];

export const PRICE_UNITS = ["hour", "sample"] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];

export const INSTRUMENT_STATUSES = ["active", "maintenance", "retired"] as const;
export type InstrumentStatus = (typeof INSTRUMENT_STATUSES)[number];

/** What a packaged service (打包服务) is for. */
export const PACKAGE_PURPOSES = [
  "standard_drafting",
  "certification",
  "failure_analysis",
  "quality_inspection",
  "r_and_d",
] as const;
export type PackagePurpose = (typeof PACKAGE_PURPOSES)[number];

export const PACKAGE_STATUSES = ["active", "retired"] as const;
/** A partner provider's answer to a package that uses its instruments (issue 8). */
export const PARTNER_DECISIONS = ["pending", "accepted", "declined"] as const;
export type PartnerDecision = (typeof PARTNER_DECISIONS)[number];
/** All partners accepted (or there are none); one declined; some have not answered yet. */
export const PARTNER_STATUSES = ["accepted", "declined", "awaiting"] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];
export type PackageStatus = (typeof PACKAGE_STATUSES)[number];

/** Booking lifecycle (预约单). Active states hold their slot claims; the others have released them. */
export const BOOKING_STATUSES = [
  "pending", // held, awaiting the provider's confirmation
  "confirmed",
  "in_progress", // checked in
  "completed",
  "rejected",
  "cancelled",
  "expired", // hold not confirmed in time
  "no_show",
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export const ACTIVE_BOOKING_STATUSES: readonly BookingStatus[] = ["pending", "confirmed", "in_progress"];

export const BOOKING_KINDS = ["instrument", "package"] as const;
export type BookingKind = (typeof BOOKING_KINDS)[number];

// Innovation vouchers (创新券, issue 10).
/** Where a provider is: one of the city's counties, or outside the city (no city share, no provider subsidy). */
export const OUTSIDE_CITY = [
  { code: "province_other_city", zh: "省内其他城市", en: "Another city of the province" },
  { code: "outside_province", zh: "省外", en: "Outside the province" },
] as const;
export type ProviderLocation = County | (typeof OUTSIDE_CITY)[number]["code"];
export const PROVIDER_LOCATION_CODES = [...COUNTY_CODES, ...OUTSIDE_CITY.map((c) => c.code)] as readonly ProviderLocation[];
export const isInCity = (location: string): boolean => (COUNTY_CODES as readonly string[]).includes(location);

/**
 * issued: held against the quota; void: given back (booking cancelled, rejected, expired, no-show); declined: nothing could be issued;
 * claimed: a claim is filed (still held); redeemed: paid in a settlement (the unused face value returned); expired: never claimed within the window (given back).
 */
export const VOUCHER_STATUSES = ["issued", "void", "declined", "claimed", "redeemed", "expired"] as const;
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number];

/** Why a quote's or a voucher's share is zero or smaller than the rates say. */
export const SUBSIDY_REASONS = ["PROVIDER_NOT_LOCAL", "CAP_REACHED", "SERVICE_CAP", "NOT_IN_REGISTRY", "NOT_ELIGIBLE_KIND"] as const;
export type SubsidyReason = (typeof SUBSIDY_REASONS)[number];
