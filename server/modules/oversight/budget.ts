// The year's voucher budgets (city and province) and what is committed and paid against them, with
// a month-by-month forecast to the year's end. A change of the budgets is the insert of the next
// version `budget:<year>:<n + 1>` where n is the version the admin saw: two admins saving at once
// get one winner and one 409, never a silently lost change (FerretDB updates are not atomic).
// Definitions and the forecast's method: docs/oversight.md "Budget".
import { DateTime } from "luxon";
import type { BudgetLevel, BudgetReport, BudgetSetBody, BudgetVersion, ForecastMonth } from "../../../shared/schemas/oversight";
import { CITY_ZONE, splitSubsidy } from "../../../shared/voucher-split";
import { isDuplicateKeyError } from "../../db/errors";
import { ConflictError } from "../../errors";
import type { Actor } from "../accounts/actor";
import type { PolicyDoc } from "../vouchers/model";
import type { FiguresCache } from "./cache";
import { budgetId, type BudgetDoc, type OversightModels } from "./model";
import type { OversightSources, SettlementRow, VoucherRow } from "./sources";

/** The run rate averages the new commitments of this many complete months before the current one. */
export const RUN_RATE_MONTHS = 3;
/** Vouchers whose money is still held: issued, or claimed and waiting for the settlement. */
const COMMITTED: readonly string[] = ["issued", "claimed"];
/** Vouchers that kept (or spent) their money; voided, declined and expired ones gave it back. */
const KEPT: readonly string[] = ["issued", "claimed", "redeemed"];

/** The forecast before the budget is applied (what the shared cache keeps). */
type ForecastBase = Omit<BudgetReport["forecast"], "items" | "provinceExhaustedIn" | "cityExhaustedIn"> & {
  items: Omit<ForecastMonth, "overProvinceBudget" | "overCityBudget">[];
};

export interface BudgetDeps {
  m: OversightModels;
  cache: FiguresCache;
  sources: OversightSources;
  /** The voucher policy in force on a city day (for the pipeline's expected split). */
  policyInForce: (day: string) => Promise<PolicyDoc>;
  now: () => number;
}

const present = (d: BudgetDoc): BudgetVersion => ({
  year: d.year, version: d.version, provinceBudgetFen: d.provinceBudgetFen, cityBudgetFen: d.cityBudgetFen,
  ...(d.note ? { note: d.note } : {}), setBy: d.setBy, setAt: new Date(d.setAt).toISOString(),
});

const percent = (part: number, whole: number | null) => (whole ? Math.round((part / whole) * 10_000) / 100 : null);
const monthOf = (ms: number) => DateTime.fromMillis(ms, { zone: CITY_ZONE }).toFormat("yyyy-MM");

export class Budgets {
  constructor(private readonly d: BudgetDeps) {}

  /** Every version of a year, oldest first (a handful of documents). */
  async history(year: number): Promise<BudgetDoc[]> {
    const docs = await this.d.m.budgets.find({ year }).lean<BudgetDoc[]>();
    return docs.sort((a, b) => a.version - b.version);
  }

  async set(actor: Actor, year: number, body: BudgetSetBody): Promise<{ budget: BudgetVersion; created: boolean }> {
    const head = (await this.history(year)).at(-1);
    const current = head?.version ?? 0;
    if (body.expectedVersion !== current) throw new ConflictError("BUDGET_VERSION_CONFLICT", { current });
    const version = current + 1;
    const note = body.note?.trim();
    const doc: BudgetDoc = {
      _id: budgetId(year, version), year, version, provinceBudgetFen: body.provinceBudgetFen, cityBudgetFen: body.cityBudgetFen,
      ...(note ? { note } : {}), setBy: actor.userId, setAt: new Date(this.d.now()),
    };
    try {
      await this.d.m.budgets.create(doc);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // Another admin saved the same version first: theirs stands, this one is told to look again.
      throw new ConflictError("BUDGET_VERSION_CONFLICT", { current: version });
    }
    return { budget: present(doc), created: version === 1 };
  }

  async report(year: number | undefined): Promise<BudgetReport> {
    const now = this.d.now();
    const today = DateTime.fromMillis(now, { zone: CITY_ZONE });
    const y = year ?? today.year;
    const day = today.toISODate()!;
    // The money and the forecast's months come from scans (shared for a minute); the budget's
    // versions are read fresh, so a new version shows at once.
    const [history, figures] = await Promise.all([this.history(y), this.d.cache.get(`budget:${y}:${day}`, () => this.figures(y, today))]);
    const head = history.at(-1) ?? null;
    const { money, forecast } = figures;
    const level = (budgetFen: number | null, committedFen: number, paidFen: number): BudgetLevel => ({
      budgetFen, committedFen, paidFen,
      remainingFen: budgetFen === null ? null : budgetFen - committedFen - paidFen,
      usedPercent: percent(committedFen + paidFen, budgetFen),
    });
    const province = level(head?.provinceBudgetFen ?? null, money.province.committed, money.province.paid);
    const cityPaid = money.city.paid + money.providerSubsidy + money.awardMatch;
    const city = { ...level(head?.cityBudgetFen ?? null, money.city.committed, cityPaid), providerSubsidyPaidFen: money.providerSubsidy, awardMatchPaidFen: money.awardMatch };
    const items = forecast.items.map((i): ForecastMonth => ({
      ...i, overProvinceBudget: !!head && i.cumulativeProvinceFen > head.provinceBudgetFen, overCityBudget: !!head && i.cumulativeCityFen > head.cityBudgetFen,
    }));
    return {
      year: y, today: day, budget: head ? present(head) : null, history: history.map(present), province, city,
      forecast: {
        ...forecast, items,
        provinceExhaustedIn: items.find((i) => i.overProvinceBudget)?.month ?? null,
        cityExhaustedIn: items.find((i) => i.overCityBudget)?.month ?? null,
      },
    };
  }

  /** The year's money and, for the current year, the forecast's months (without the budget). */
  private async figures(year: number, today: DateTime) {
    const [vouchers, settlements] = await Promise.all([this.d.sources.vouchersOfYear(year), this.d.sources.settlements()]);
    const money = committedAndPaid(year, vouchers, settlements);
    const spent = {
      province: money.province.committed + money.province.paid,
      city: money.city.committed + money.city.paid + money.providerSubsidy + money.awardMatch,
    };
    const forecast: ForecastBase = year === today.year
      ? await this.forecast(today, vouchers, spent)
      : { method: "none", basisMonths: [], runRateProvinceFen: 0, runRateCityFen: 0, items: [] };
    return { money, forecast };
  }

  /**
   * Run rate plus pipeline: each month to December adds the average new commitments of the last
   * RUN_RATE_MONTHS complete months (the current month: pro rata for the days left after today),
   * plus the voucher bookings still pending whose service starts in that month, at the split the
   * policy in force today gives their price (an upper bound: no quota or provider-location cut).
   */
  private async forecast(today: DateTime, vouchers: VoucherRow[], spent: { province: number; city: number }): Promise<ForecastBase> {
    const current = today.startOf("month");
    const basisMonths: string[] = [];
    for (let k = RUN_RATE_MONTHS; k >= 1; k--) {
      const m = current.minus({ months: k });
      if (m.year === today.year) basisMonths.push(m.toFormat("yyyy-MM"));
    }
    const basis = { province: 0, city: 0 };
    for (const v of vouchers) {
      if (!KEPT.includes(v.status) || !basisMonths.includes(monthOf(new Date(v.issuedAt).getTime()))) continue;
      basis.province += v.provinceFen;
      basis.city += v.cityFen;
    }
    const n = basisMonths.length;
    const runRate = { province: n ? Math.round(basis.province / n) : 0, city: n ? Math.round(basis.city / n) : 0 };

    const policy = await this.d.policyInForce(today.toISODate()!);
    const rates = { provinceBp: policy.provinceBpInCity, cityBp: policy.cityBp };
    const pipeline = new Map<string, { province: number; city: number }>();
    const currentMonth = current.toFormat("yyyy-MM");
    for (const b of await this.d.sources.pendingVoucherBookings()) {
      const starts = DateTime.fromJSDate(new Date(b.firstStart), { zone: CITY_ZONE });
      if (starts.year !== today.year) continue; // another quota year: another budget
      const month = starts.toFormat("yyyy-MM") < currentMonth ? currentMonth : starts.toFormat("yyyy-MM");
      const s = splitSubsidy(b.priceFen, rates, policy.perServiceCapFen ?? Infinity);
      const p = pipeline.get(month) ?? { province: 0, city: 0 };
      pipeline.set(month, { province: p.province + s.provinceFen, city: p.city + s.cityFen });
    }

    const items: ForecastBase["items"] = [];
    let cumulative = { ...spent };
    const daysLeft = current.daysInMonth! - today.day;
    for (let m = current; m.year === today.year; m = m.plus({ months: 1 })) {
      const month = m.toFormat("yyyy-MM");
      const share = month === currentMonth ? daysLeft / current.daysInMonth! : 1;
      const rr = { province: Math.round(runRate.province * share), city: Math.round(runRate.city * share) };
      const pipe = pipeline.get(month) ?? { province: 0, city: 0 };
      cumulative = { province: cumulative.province + rr.province + pipe.province, city: cumulative.city + rr.city + pipe.city };
      items.push({
        month, runRateProvinceFen: rr.province, runRateCityFen: rr.city, pipelineProvinceFen: pipe.province, pipelineCityFen: pipe.city,
        cumulativeProvinceFen: cumulative.province, cumulativeCityFen: cumulative.city,
      });
    }
    return { method: "run_rate_3m_plus_pipeline", basisMonths, runRateProvinceFen: runRate.province, runRateCityFen: runRate.city, items };
  }
}

/**
 * The money of a quota year's vouchers. Committed: the face value (province and city parts) of
 * vouchers still held, issued or claimed, that no settlement has paid yet. Paid: the voucher
 * subsidy lines of the settlements that paid the year's vouchers, by source; the city also pays the
 * provider subsidies of those vouchers and the matches of the year's provincial awards.
 */
export function committedAndPaid(year: number, vouchers: readonly VoucherRow[], settlements: readonly SettlementRow[]) {
  const ofYear = new Set(vouchers.map((v) => v._id));
  const out = { province: { committed: 0, paid: 0 }, city: { committed: 0, paid: 0 }, providerSubsidy: 0, awardMatch: 0 };
  const paidVouchers = new Set<string>();
  for (const s of settlements) {
    for (const l of s.lines ?? []) {
      if (l.kind === "award_match") {
        if (l.awardId?.endsWith(`:${year}`)) out.awardMatch += l.amountFen;
        continue;
      }
      if (!l.voucherId || !ofYear.has(l.voucherId)) continue;
      if (l.kind === "provider_subsidy") out.providerSubsidy += l.amountFen;
      else if (l.kind === "voucher_subsidy") {
        paidVouchers.add(l.voucherId);
        if (l.source === "province") out.province.paid += l.amountFen;
        else out.city.paid += l.amountFen;
      }
    }
  }
  for (const v of vouchers) {
    // A settled voucher whose "redeemed" event is still being written counts as paid, not twice.
    if (!COMMITTED.includes(v.status) || paidVouchers.has(v._id)) continue;
    out.province.committed += v.provinceFen;
    out.city.committed += v.cityFen;
  }
  return out;
}
