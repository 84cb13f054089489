// Every error the API answers with: a stable code, its HTTP status and a message in both languages.
// `{name}`-style placeholders are filled from the error's params.
import type { Locale } from "./enums";

export const ERRORS = {
  VALIDATION_FAILED: { status: 400, zh: "请求数据不合法", en: "The request is invalid" },
  MALFORMED_JSON: { status: 400, zh: "请求体不是合法的 JSON", en: "The request body is not valid JSON" },
  BAD_REQUEST: { status: 400, zh: "请求格式错误", en: "The request is malformed" },
  INVALID_CREDIT_CODE: { status: 400, zh: "统一社会信用代码校验失败", en: "The unified social credit code fails its checksum" },
  UNAUTHENTICATED: { status: 401, zh: "请先登录", en: "Please log in" },
  INVALID_CREDENTIALS: { status: 401, zh: "邮箱或密码错误", en: "Wrong email or password" },
  FORBIDDEN: { status: 403, zh: "无权执行此操作", en: "You are not allowed to do this" },
  NOT_FOUND: { status: 404, zh: "未找到请求的资源", en: "Not found" },
  ROUTE_NOT_FOUND: { status: 404, zh: "接口不存在：{method} {path}", en: "No such endpoint: {method} {path}" },
  CONFLICT: { status: 409, zh: "数据冲突，请刷新后重试", en: "Conflict: refresh and try again" },
  EMAIL_TAKEN: { status: 409, zh: "该邮箱已注册", en: "This email is already registered" },
  CREDIT_CODE_TAKEN: { status: 409, zh: "该统一社会信用代码已登记", en: "An enterprise with this credit code is already registered" },
  PROVIDER_NAME_TAKEN: { status: 409, zh: "同名服务机构已登记", en: "A provider with this name is already registered" },
  ALREADY_MEMBER: { status: 409, zh: "您已属于一个机构", en: "You already belong to an organization" },
  ALREADY_REVIEWED: { status: 409, zh: "该申请已审核：{status}", en: "This registration was already reviewed: {status}" },
  INVITATION_USED: { status: 409, zh: "该邀请已被使用", en: "This invitation has already been used" },
  // Registration rounds, invitations and members (issue 8)
  REGISTRATION_NOT_REJECTED: { status: 409, zh: "只有未通过审核的登记可以修改后重新提交（当前：{status}）", en: "Only a rejected registration can be corrected and resubmitted (now: {status})" },
  REGISTRATION_REVOKED: { status: 409, zh: "该登记已被撤销", en: "This registration has been revoked" },
  INVITATION_EXPIRED: { status: 410, zh: "该邀请已过期，请联系管理员重新邀请", en: "This invitation has expired; ask an admin for a new one" },
  INVITATION_REVOKED: { status: 410, zh: "该邀请已被撤回", en: "This invitation was revoked" },
  LAST_ADMIN: { status: 409, zh: "不能移除机构的最后一位管理员", en: "The organization's last admin cannot be removed" },
  PRICE_UNIT_IN_USE: { status: 409, zh: "打包服务包含该仪器，不能更改其计价单位", en: "Packages include this instrument, so its price unit cannot change" },
  INVITATION_EMAIL_MISMATCH: { status: 403, zh: "该邀请发给了其他邮箱", en: "This invitation was sent to another email address" },
  PROVIDER_NOT_APPROVED: { status: 403, zh: "服务机构尚未通过审核，不能发布仪器或服务", en: "The provider is not approved yet and cannot publish instruments or services" },
  SLOT_TAKEN: { status: 409, zh: "所选时段已被占用", en: "The chosen time is already taken" },
  INVALID_TRANSITION: { status: 409, zh: "预约单当前状态为 {status}，不能执行此操作", en: "The booking is {status}; this action is not possible" },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, zh: "相同的请求正在处理中，请稍后重试", en: "The same request is still being processed; retry shortly" },
  ENTERPRISE_NOT_APPROVED: { status: 403, zh: "企业尚未通过入库审核，不能预约", en: "The enterprise is not approved yet and cannot book" },
  OUTSIDE_OPEN_HOURS: { status: 422, zh: "所选时段不在仪器开放时间内", en: "The chosen time is outside the instrument's open hours" },
  TOO_SHORT_NOTICE: { status: 422, zh: "须至少提前 {minutes} 分钟预约", en: "Bookings need at least {minutes} minutes' notice" },
  TOO_FAR_AHEAD: { status: 422, zh: "最多可提前 {days} 天预约", en: "Bookings open at most {days} days ahead" },
  NOT_ON_GRID: { status: 422, zh: "开始和结束时间须对齐 {slotMinutes} 分钟的时段", en: "Start and end must fall on the {slotMinutes}-minute slot grid" },
  TOO_SHORT: { status: 422, zh: "预约时长至少 {minutes} 分钟", en: "A booking lasts at least {minutes} minutes" },
  TOO_LONG: { status: 422, zh: "预约时长最多 {minutes} 分钟", en: "A booking lasts at most {minutes} minutes" },
  IN_BLACKOUT: { status: 422, zh: "所选时段仪器维护中", en: "The instrument is closed for maintenance at that time" },
  INSTRUMENT_NOT_BOOKABLE: { status: 422, zh: "仪器当前不可预约（维护或已停用）", en: "The instrument cannot be booked (maintenance or retired)" },
  PACKAGE_NOT_BOOKABLE: { status: 422, zh: "该打包服务已停用", en: "This package is retired and cannot be booked" },
  NO_FEASIBLE_SCHEDULE: { status: 422, zh: "在可预约期限内找不到能容纳全部项目的时间", en: "No time within the booking horizon fits every item of the package" },
  CANCEL_DEADLINE_PASSED: { status: 422, zh: "已过取消截止时间（开始前 {hours} 小时）", en: "The cancellation deadline ({hours} h before the start) has passed" },
  NOT_STARTED: { status: 422, zh: "预约尚未开始，不能登记爽约", en: "The booking has not started yet, so it cannot be marked a no-show" },
  // Booking lifecycle rules (issue 8): check-in window, per-item provider rights.
  CHECK_IN_TOO_EARLY: { status: 422, zh: "开始前 {minutes} 分钟起才能签到", en: "Check-in opens {minutes} minutes before the start" },
  CHECK_IN_CLOSED: { status: 422, zh: "预约时段已结束，不能再签到", en: "The booked time is over; check-in is closed" },
  NOT_CHECKED_IN: { status: 422, zh: "尚未签到，不能完成", en: "Not checked in yet, so it cannot be completed" },
  ITEM_NOT_YOURS: { status: 403, zh: "该项目使用其他机构的仪器，须由该机构处理", en: "This item uses another provider's instrument; that provider acts on it" },
  IDEMPOTENCY_KEY_REUSED: { status: 422, zh: "该幂等键已用于另一个不同的请求", en: "This Idempotency-Key was already used for a different request" },
  // Calendar and maintenance changes over existing bookings (issue 8); `bookings` lists them.
  CALENDAR_IN_USE: { status: 409, zh: "已有预约依赖当前时段设置，不能更改（见受影响的预约）", en: "Existing bookings rely on the current calendar, so it cannot change (see the affected bookings)" },
  BOOKINGS_AFFECTED: { status: 409, zh: "该变更会影响已有预约，请先取消这些预约", en: "This change affects existing bookings: cancel them first" },
  OPEN_HOURS_REQUIRED: { status: 422, zh: "发布为“可预约”的仪器须设置开放时间", en: "An instrument published as active needs open hours" },
  PACKAGE_NOT_ACCEPTED: { status: 422, zh: "该打包服务尚待合作机构确认，暂不可预约", en: "Partner providers have not accepted this package yet, so it cannot be booked" },
  PARTNER_ALREADY_DECIDED: { status: 409, zh: "已对该打包服务作出答复：{decision}", en: "This package was already answered: {decision}" },
  CALENDAR_CHANGED: { status: 409, zh: "仪器的开放时间刚刚变更，请重新选择时段", en: "The instrument's calendar just changed: choose the time again" },
  // Innovation vouchers (issue 10): policy versions, actual controllers.
  POLICY_NOT_FUTURE: { status: 422, zh: "新政策只能从明天（{earliest}）起生效，不能改写历史", en: "A new policy takes effect from tomorrow ({earliest}) at the earliest; history is never rewritten" },
  POLICY_DATE_TAKEN: { status: 409, zh: "{date} 起生效的政策版本已存在", en: "A policy version taking effect on {date} already exists" },
  CONTROLLER_HAS_VOUCHERS: { status: 409, zh: "该企业本年度已有创新券，不能更改实际控制人", en: "The enterprise holds vouchers this year, so its actual controller cannot change" },
  // Evidence, contract amounts, awards and provider admission (issue 10, branch i10-evidence).
  UPLOAD_NOT_MULTIPART: { status: 415, zh: "上传须为 multipart/form-data，文件字段名为 file", en: "Uploads must be multipart/form-data with the file in the field \"file\"" },
  UPLOAD_FILE_MISSING: { status: 422, zh: "请求中没有名为 file 的文件", en: "The request has no file in the field \"file\"" },
  UPLOAD_TYPE_NOT_ALLOWED: { status: 415, zh: "只接受 PDF、JPEG 或 PNG 文件（按文件内容判断）", en: "Only PDF, JPEG or PNG files are accepted (judged by their content)" },
  UPLOAD_TOO_LARGE: { status: 413, zh: "文件不能超过 {maxMb} MB", en: "The file must not exceed {maxMb} MB" },
  CONTRACT_OVER_PRICE: { status: 422, zh: "合同金额不得超过预约价格加申报的额外费用（最多 {maxYuan} 元）", en: "The contract amount cannot exceed the booking price plus the declared extras (at most {maxYuan} yuan)" },
  CONTRACT_NOT_AWAITING: { status: 409, zh: "合同金额当前为“{status}”，不能执行此操作", en: "The contract amount is {status}; this action is not possible" },
  // Instrument photos (issue 11)
  PHOTO_TYPE_NOT_ALLOWED: { status: 415, zh: "只接受 JPEG、PNG 或 WebP 图片（按文件内容判断）", en: "Only JPEG, PNG or WebP images are accepted (judged by their content)" },
  PHOTO_UNREADABLE: { status: 422, zh: "图片无法读取：文件可能已损坏，或超过 4000 万像素", en: "The image cannot be read: it may be damaged or larger than 40 megapixels" },
  PHOTO_LIMIT_REACHED: { status: 409, zh: "每台仪器最多 {max} 张照片，请先删除一些", en: "An instrument has at most {max} photos: delete some first" },
  PHOTO_ORDER_STALE: { status: 409, zh: "照片列表刚刚有变动，请刷新后重新排序", en: "The photos just changed: refresh and order them again" },
  AWARD_EXISTS: { status: 409, zh: "该机构 {year} 年的省级绩效奖励已登记为 {yuan} 元", en: "This provider's provincial award for {year} is already recorded as {yuan} yuan" },
  ADMISSION_PROVIDER_NOT_APPROVED: { status: 422, zh: "该服务机构的登记尚未通过审核（{status}），不能公示准入", en: "This provider's registration is not approved ({status}), so it cannot be put on notice" },
  ADMISSION_EXISTS: { status: 409, zh: "该机构已有进行中或已生效的公示（{status}）", en: "This provider already has a notice in progress or in effect ({status})" },
  NOTICE_CLOSED: { status: 422, zh: "公示期已结束，不能再提出异议", en: "The notice period has ended; objections are closed" },
  OBJECTION_ALREADY_DECIDED: { status: 409, zh: "该异议已处理：{decision}", en: "This objection was already decided: {decision}" },
  // Voucher claims and monthly settlement (issue 10, branch i10-settle; docs/settlement.md).
  CLAIM_WINDOW_CLOSED: { status: 422, zh: "申请期限已过（截止 {deadline}），不能再提交兑付申请", en: "The claim window closed on {deadline}; the voucher can no longer be claimed" },
  CLAIM_EXISTS: { status: 409, zh: "该创新券已提交兑付申请", en: "A claim was already filed for this voucher" },
  VOUCHER_NOT_CLAIMABLE: { status: 422, zh: "该创新券当前为“{status}”，不能申请兑付", en: "The voucher is {status}, so it cannot be claimed" },
  CLAIM_SERVICE_NOT_COMPLETED: { status: 422, zh: "服务尚未完成（{status}），不能申请兑付", en: "The service is not completed ({status}), so it cannot be claimed yet" },
  CONTRACT_NOT_ACKNOWLEDGED: { status: 422, zh: "合同金额尚未经企业确认（{status}），不能申请兑付", en: "The contract amount is not acknowledged by the enterprise ({status}), so it cannot be claimed" },
  CLAIM_EVIDENCE_MISSING: { status: 422, zh: "缺少申请材料：{kinds}", en: "Evidence missing: {kinds}" },
  CLAIM_UPLOAD_INVALID: { status: 422, zh: "附件 {uploadId} 不存在或不属于本单位", en: "The attachment {uploadId} does not exist or does not belong to your organization" },
  CLAIM_REASON_REQUIRED: { status: 422, zh: "退回或不予通过须填写理由", en: "Returning or rejecting a claim needs a reason" },
  CLAIM_NOT_PENDING: { status: 409, zh: "该申请当前为“{status}”，不能审核", en: "The claim is {status}, so it cannot be reviewed" },
  CLAIM_NOT_RETURNED: { status: 409, zh: "该申请当前为“{status}”，只有被退回的申请才能修改后重新提交", en: "The claim is {status}; only a returned claim can be corrected and resubmitted" },
  PERIOD_OPEN: { status: 422, zh: "{period} 尚未结束，{opensAt} 起才能兑付", en: "{period} is not over yet; it can be settled from {opensAt}" },
  // Statistics (issue 12)
  STATS_RANGE_REVERSED: { status: 400, zh: "起始日期不能晚于结束日期", en: "The start day must not be after the end day" },
  STATS_RANGE_TOO_LONG: { status: 400, zh: "统计区间最长 {years} 年", en: "A statistics range spans at most {years} years" },
  STATS_BASELINE_FUTURE: { status: 400, zh: "基准日期不能晚于今天", en: "The baseline day must not be after today" },
  // Oversight (issue 12, branch i12-oversight; docs/oversight.md).
  BUDGET_VERSION_CONFLICT: { status: 409, zh: "预算刚被他人修改（当前为第 {current} 版），请刷新后再改", en: "The budget was just changed by someone else (now version {current}): refresh and try again" },
  RATING_EXISTS: { status: 409, zh: "该预约单已评价过，不能重复评价", en: "This booking has already been rated" },
  RATING_BOOKING_NOT_COMPLETED: { status: 422, zh: "服务尚未完成（{status}），完成后才能评价", en: "The service is not completed ({status}); it can be rated once completed" },
  // Live utilization (issue 12, i12-live)
  STATS_UTILIZATION_RANGE_TOO_LONG: { status: 400, zh: "利用率统计区间最长 {days} 天", en: "A utilization range spans at most {days} days" },
  // Security hardening (issue 13, branch i13-security; docs/security.md).
  CSRF_ORIGIN_MISMATCH: { status: 403, zh: "请求来源与本站不符，已拒绝（请从本站页面操作）", en: "The request does not come from this site's own pages, so it was refused" },
  METHOD_NOT_ALLOWED: { status: 405, zh: "该接口不支持 {method} 方法", en: "This endpoint does not support the {method} method" },
  PASSWORD_TOO_WEAK: { status: 400, zh: "密码过于简单，容易被猜中，请换一个", en: "The password is too easy to guess: choose another one" },
  REGISTRATION_RATE_LIMITED: { status: 429, zh: "注册过于频繁，请 {retryAfter} 秒后再试", en: "Too many registrations; try again in {retryAfter} s" },
  SOCKET_RATE_LIMITED: { status: 429, zh: "实时连接的请求过于频繁，已忽略", en: "Too many real-time requests on this connection; ignored" },
  PAYLOAD_TOO_LARGE: { status: 413, zh: "请求体过大", en: "The request body is too large" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: "请求体须为 application/json", en: "The request body must be application/json" },
  TOO_MANY_SUBSCRIPTIONS: { status: 429, zh: "订阅的仪器过多（每个连接最多 {max} 台）", en: "Too many instrument subscriptions (at most {max} per connection)" },
  RATE_LIMITED: { status: 429, zh: "尝试次数过多，请 {retryAfter} 秒后再试", en: "Too many attempts; try again in {retryAfter} s" },
  // Audit log and provincial data exchange (issue 12/13, branch i12-exchange; docs/audit.md, docs/exchange.md).
  AUDIT_RANGE_REVERSED: { status: 400, zh: "起始时间不能晚于结束时间", en: "The start must not be after the end" },
  AUDIT_EXPORT_TOO_LARGE: { status: 422, zh: "导出条目过多（{count} 条，最多 {max} 条），请缩小筛选范围", en: "Too many entries to export ({count}, at most {max}); narrow the filters" },
  EXCHANGE_KIND_REQUIRED: { status: 400, zh: "CSV 格式一次只能导出一类数据，请指定 kind", en: "A CSV export holds one kind of record: give kind" },
  EXCHANGE_PERIOD_FUTURE: { status: 422, zh: "{period} 尚未开始，不能导出", en: "{period} has not begun yet, so there is nothing to export" },
  // Found by fuzzing (issue 13, branch i13-authz-fuzz): refused by Node's HTTP parser, before Express.
  HEADERS_TOO_LARGE: { status: 431, zh: "请求头或网址过长", en: "The request headers or the URL are too long" },
  INTERNAL: { status: 500, zh: "服务器内部错误", en: "Internal server error" },
  DB_UNAVAILABLE: { status: 503, zh: "数据库不可用", en: "The database is unavailable" },
  STARTING: { status: 503, zh: "服务正在启动，请稍后再试", en: "The server is starting; try again shortly" },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

export type ErrorParams = Record<string, string | number>;

export function errorMessage(code: ErrorCode, locale: Locale, params: ErrorParams = {}): string {
  const template = locale === "en" ? ERRORS[code].en : ERRORS[code].zh;
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? `{${key}}`));
}

/** One failing field of a VALIDATION_FAILED answer. */
export interface FieldError {
  /** JSON pointer into the request part, e.g. "/body/email". */
  field: string;
  /** The JSON Schema keyword that failed (e.g. "format", "minLength", "required"), or a rule of shared/field-rules.ts. */
  rule: string;
  message: string;
  /** For a rule of shared/field-rules.ts: the values its message names. Not sent to clients. */
  params?: ErrorParams;
}
