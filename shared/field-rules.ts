// The messages of field rules beyond the JSON Schema (an end after its start, a range of at most N
// days, a value that must be finite…), in both languages. Services throw a ValidationError naming
// the field, the rule and its params; the HTTP and socket layers render the message here in the
// request's language, so a Chinese form never shows an English sentence under a field.
// Schema keywords (minLength, format…) keep ajv-i18n's messages, except where this file says.
import type { Locale } from "./enums";
import type { ErrorParams, FieldError } from "./errors";
import { TIME_MAX_YEAR, TIME_MIN_YEAR } from "./limits";

type Render = string | ((p: ErrorParams) => string);

const PRICE_UNIT_ZH: Record<string, string> = { hour: "小时", sample: "样品数" };
// Why a password was refused (server/modules/accounts/password-policy.ts).
const WEAK_PASSWORD_ZH: Record<string, string> = {
  common: "这是最常见的密码之一，很容易被猜中",
  repeated: "不能只由重复的字符组成",
  sequence: "不能是连续的字母或数字，如 12345678",
  keyboard: "不能是键盘上相邻的一排键，如 qwertyui",
  email: "不能与邮箱或邮箱用户名相同",
};
const WEAK_PASSWORD_EN: Record<string, string> = {
  common: "is one of the most common passwords and easy to guess",
  repeated: "must not be one character or a short pattern repeated",
  sequence: "must not be a run of letters or digits, like 12345678",
  keyboard: "must not be a row of neighbouring keys, like qwertyui",
  email: "must not be your email address or its user name",
};
const has = (p: ErrorParams, key: string) => p[key] !== undefined && p[key] !== "";

export const FIELD_RULES = {
  required: {
    zh: (p) => (has(p, "priceUnit") ? `该仪器按${PRICE_UNIT_ZH[p.priceUnit!] ?? p.priceUnit}计价，须填写此项` : "此项为必填项"),
    en: (p) => (has(p, "priceUnit") ? `the instrument is priced per ${p.priceUnit}: this is required` : "is required"),
  },
  notApplicable: {
    zh: (p) => (has(p, "priceUnit") ? `该仪器按${PRICE_UNIT_ZH[p.priceUnit!] ?? p.priceUnit}计价，不需要此项` : "此项不适用"),
    en: (p) => (has(p, "priceUnit") ? `the instrument is priced per ${p.priceUnit}: leave this out` : "does not apply here"),
  },
  oneOf: {
    zh: (p) => (has(p, "options") ? `须且只能提供其中一项：${p.options}` : "须且只能提供其中一项"),
    en: (p) => (has(p, "options") ? `give exactly one of: ${p.options}` : "give exactly one of the alternatives"),
  },
  exists: { zh: "所指对象不存在", en: "does not exist" },
  requiredWhenActive: { zh: "发布为“可预约”状态须先设置开放时间", en: "an active instrument needs open hours" },
  enum: {
    zh: (p) => (has(p, "allowed") ? `须为以下之一：${p.allowed}` : "不是允许的取值"),
    en: (p) => (has(p, "allowed") ? `must be one of: ${p.allowed}` : "is not an allowed value"),
  },
  pattern: {
    zh: (p) => {
      if (p.expected === "notBlank") return "不能为空白";
      if (p.expected === "visibleAscii") return has(p, "max") ? `须为 1–${p.max} 个可见 ASCII 字符` : "须为可见 ASCII 字符";
      return "格式不正确";
    },
    en: (p) => {
      if (p.expected === "notBlank") return "must not be blank";
      if (p.expected === "visibleAscii") return has(p, "max") ? `must be 1–${p.max} visible ASCII characters` : "must be visible ASCII characters";
      return "has the wrong format";
    },
  },
  minimum: {
    zh: (p) => (has(p, "limit") ? `不能小于 ${p.limit}` : "数值过小"),
    en: (p) => (has(p, "limit") ? `must be at least ${p.limit}` : "is too small"),
  },
  maximum: {
    zh: (p) => (has(p, "limit") ? `不能大于 ${p.limit}` : "数值过大"),
    en: (p) => (has(p, "limit") ? `must be at most ${p.limit}` : "is too large"),
  },
  afterStart: {
    zh: (p) => (has(p, "start") ? `须晚于开始时间 ${p.start}` : "须晚于开始时间"),
    en: (p) => (has(p, "start") ? `must be after the start ${p.start}` : "must be after the start"),
  },
  maxRange: {
    zh: (p) => (has(p, "days") ? `结束时间距开始最多 ${p.days} 天` : "时间范围过长"),
    en: (p) => (has(p, "days") ? `must be at most ${p.days} days after the start` : "the range is too long"),
  },
  maxDuration: {
    zh: (p) => (has(p, "days") ? `维护时段最长 ${p.days} 天` : "维护时段过长"),
    en: (p) => (has(p, "days") ? `a maintenance window lasts at most ${p.days} days` : "the maintenance window is too long"),
  },
  timezone: {
    zh: (p) => (has(p, "value") ? `不是有效的 IANA 时区：${p.value}` : "不是有效的 IANA 时区"),
    en: (p) => (has(p, "value") ? `not an IANA time zone: ${p.value}` : "not an IANA time zone"),
  },
  slotAligned: {
    zh: (p) => (has(p, "range") && has(p, "slotMinutes") ? `${p.range} 不是 ${p.slotMinutes} 分钟时段的整数倍` : "开放时间须为整数个预约时段"),
    en: (p) =>
      has(p, "range") && has(p, "slotMinutes") ? `${p.range} is not a whole number of ${p.slotMinutes}-minute slots` : "open hours must be whole slots",
  },
  overlap: {
    zh: (p) => (has(p, "range") ? `与同一天的开放时段 ${p.range} 重叠` : "与同一天的另一开放时段重叠"),
    en: (p) => (has(p, "range") ? `overlaps the open range ${p.range} of the same day` : "overlaps another open range of the same day"),
  },
  weakPassword: {
    zh: (p) => WEAK_PASSWORD_ZH[String(p.reason)] ?? "密码过于简单，容易被猜中",
    en: (p) => WEAK_PASSWORD_EN[String(p.reason)] ?? "is too easy to guess",
  },
  checksum: { zh: "统一社会信用代码校验位不正确", en: "the check character of the unified social credit code is wrong" },
  inService: { zh: "该仪器已停用", en: "the instrument is retired" },
  providerApproved: { zh: "该仪器所属服务机构尚未通过审核", en: "the instrument's provider is not approved" },
  // Statistics ranges (issue 12).
  notBeforeStart: {
    zh: (p) => (has(p, "start") ? `不能早于起始日期 ${p.start}` : "不能早于起始日期"),
    en: (p) => (has(p, "start") ? `must not be before the start ${p.start}` : "must not be before the start"),
  },
  maxYears: {
    zh: (p) => (has(p, "years") ? `距起始日期最多 ${p.years} 年` : "时间范围过长"),
    en: (p) => (has(p, "years") ? `must be at most ${p.years} years after the start` : "the range is too long"),
  },
  notAfterToday: { zh: "不能晚于今天", en: "must not be after today" },
  // Checked on every request part and socket payload by shared/validation.ts.
  finite: { zh: "须为有限数值", en: "must be a finite number" },
  noNul: { zh: "不能包含空字符（U+0000）", en: "must not contain NUL characters (U+0000)" },
  // The message of the schema's `format: "date-time"` (rule "format"): says what the format is.
  dateTime: {
    zh: `须为 ${TIME_MIN_YEAR}–${TIME_MAX_YEAR} 年间带时区的 ISO 8601 时间，如 2026-05-01T09:00:00+08:00`,
    en: `must be an ISO 8601 time with a zone, in the years ${TIME_MIN_YEAR}–${TIME_MAX_YEAR}, e.g. 2026-05-01T09:00:00+08:00`,
  },
} satisfies Record<string, { zh: Render; en: Render }>;

export type FieldRule = keyof typeof FIELD_RULES;

export function isFieldRule(rule: string): rule is FieldRule {
  return Object.hasOwn(FIELD_RULES, rule);
}

/** Entries that name params are functions with a plain fallback, so a missing param never shows as "{days}". */
export function fieldRuleMessage(rule: FieldRule, locale: Locale, params: ErrorParams = {}): string {
  const render: Render = locale === "en" ? FIELD_RULES[rule].en : FIELD_RULES[rule].zh;
  return typeof render === "function" ? render(params) : render;
}

/**
 * A service's field error as the client sees it: `{field, rule, message}` with the catalogue's
 * message in `locale`. A rule missing from the catalogue keeps the service's own message (a test
 * keeps every rule used in server/ in the catalogue).
 */
export function localizeFieldError(f: FieldError, locale: Locale): FieldError {
  const message = isFieldRule(f.rule) ? fieldRuleMessage(f.rule, locale, f.params) : f.message;
  return { field: f.field, rule: f.rule, message };
}
