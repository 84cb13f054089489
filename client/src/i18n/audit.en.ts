// The bureau's audit log (issue 13).
import type { auditZh } from "./audit.zh-CN";

export const auditEn: typeof auditZh = {
  audit: {
    nav: "Audit log",
    title: "Audit log",
    intro: "Every review decision and every money movement: who did what, when, and the figures before and after. Entries are never changed.",
    from: "From",
    to: "To",
    kindAll: "All kinds",
    actor: "Actor ID",
    subject: "Subject or organization ID",
    reset: "Clear filters",
    exportCsv: "Export CSV",
    exportJson: "Export JSON",
    empty: "No entries match",
    at: "Time",
    kindLabel: "What",
    actorLabel: "Who",
    system: "System",
    subjectLabel: "Subject",
    amount: "Amount",
    change: "Before → after",
    reason: "Reason: {reason}",
    byActor: "Only this person",
    bySubject: "Only this subject",
    family: {
      registration: "Registrations", enterprise: "Enterprise details", voucher: "Vouchers", claim: "Claims", ledger: "Quota ledger",
      settlement: "Settlements", award: "Awards", admission: "Admission notices",
    },
    kind: {
      registration_registered: "Registered", registration_approved: "Registration approved", registration_rejected: "Registration rejected",
      registration_resubmitted: "Registration resubmitted", registration_revoked: "Registration revoked", enterprise_controller_set: "Actual controller set",
      voucher_issued: "Voucher issued", voucher_declined: "Voucher declined (no quota)", voucher_voided: "Voucher voided", voucher_claimed: "Voucher claimed",
      voucher_redeemed: "Voucher redeemed", voucher_expired: "Voucher expired",
      claim_submitted: "Claim filed", claim_approved: "Claim approved", claim_rejected: "Claim rejected", claim_returned: "Claim returned for correction",
      claim_resubmitted: "Claim resubmitted",
      ledger_issue: "Ledger: quota held", ledger_void: "Ledger: quota returned (void)", ledger_expire: "Ledger: quota returned (expiry)", ledger_redeem: "Ledger: redeemed",
      ledger_provider_subsidy: "Ledger: provider subsidy", ledger_award_match: "Ledger: award match",
      settlement_created: "Monthly settlement run", award_recorded: "Provincial award recorded",
      admission_notice_opened: "Admission notice opened", admission_objection_upheld: "Objection upheld", admission_objection_dismissed: "Objection dismissed",
    },
    subjectType: {
      enterprise: "Enterprise", provider: "Provider", voucher: "Voucher", claim: "Claim", quota_account: "Quota account", payout_account: "Payout account",
      settlement: "Settlement", award: "Award", admission: "Admission notice",
    },
    value: {
      pending: "pending", approved: "approved", rejected: "rejected", revoked: "revoked", issued: "issued", declined: "declined", void: "void",
      claimed: "claimed", redeemed: "redeemed", expired: "expired", submitted: "submitted", returned: "returned", uphold: "upheld", dismiss: "dismissed",
    },
    figure: {
      status: "status", round: "round", faceValueFen: "face value", provinceFen: "province", cityFen: "city", contractAmountFen: "contract",
      amountFen: "subsidy", heldFen: "held", redeemedFen: "redeemed", totalFen: "total", voucherSubsidyFen: "voucher subsidy",
      providerSubsidyFen: "provider subsidy", awardMatchFen: "award match", claims: "claims", awards: "awards", provincialAwardFen: "provincial award",
      year: "year", actualController: "actual controller", decision: "decision", endsAt: "notice ends",
    },
  },
};
