// Reading vouchers: quotes before booking, a booking's expected split, quotas and voucher lists.
import { DateTime } from "luxon";
import type { PageOf } from "../../../shared/schemas/common";
import type { Booking } from "../../../shared/schemas/scheduling";
import type { BookingSubsidy, Quota, Quote, QuoteQuery, Voucher, VoucherListQuery } from "../../../shared/schemas/vouchers";
import { itemListPriceFen } from "../../../shared/money";
import { CITY_ZONE } from "../../../shared/voucher-split";
import { ForbiddenError, NotFoundError, ValidationError } from "../../errors";
import { isBureau, isMemberOf, type Actor } from "../accounts/actor";
import type { InstrumentsService } from "../catalog/instruments";
import type { PackagesService } from "../catalog/packages";
import { splitWithinQuota, type SubsidyAssessor } from "./assess";
import type { QuotaLedger } from "./ledger";
import type { VoucherDoc, VoucherModels } from "./model";
import type { PolicyService } from "./policy";
import { presentVoucher, voucherIdOf, type VoucherStream } from "./stream";

export interface CatalogReader {
  instruments: InstrumentsService;
  packages: PackagesService;
}

export class VoucherReads {
  constructor(
    private readonly m: VoucherModels,
    private readonly stream: VoucherStream,
    private readonly ledger: QuotaLedger,
    private readonly assessor: SubsidyAssessor,
    private readonly policies: PolicyService,
    private readonly catalog: CatalogReader,
    private readonly now: () => number,
  ) {}

  /** The list price the booking would charge (the same arithmetic as scheduling's booking), and who provides it. */
  private async priceOf(q: QuoteQuery): Promise<{ listPriceFen: number; providerId: string }> {
    if (!!q.instrumentId === !!q.packageId) {
      throw new ValidationError([{ field: "/query", rule: "oneOf", message: "give either instrumentId (with end) or packageId", params: { options: "instrumentId, packageId" } }]);
    }
    if (q.packageId) {
      const pkg = await this.catalog.packages.get(q.packageId);
      return { listPriceFen: pkg.priceFen, providerId: pkg.providerId };
    }
    const inst = await this.catalog.instruments.get(q.instrumentId!);
    if (!q.end) throw new ValidationError([{ field: "/query/end", rule: "required", message: "instrument time needs an end" }]);
    const minutes = (Date.parse(q.end) - Date.parse(q.start)) / 60_000;
    if (minutes <= 0) throw new ValidationError([{ field: "/query/end", rule: "afterStart", message: "must be after start" }]);
    if (inst.priceUnit === "sample" && q.samples === undefined) {
      throw new ValidationError([{ field: "/query/samples", rule: "required", message: "the instrument is priced per sample: give samples", params: { priceUnit: "sample" } }]);
    }
    return { listPriceFen: itemListPriceFen(inst.priceFen, inst.priceUnit, { minutes, samples: q.samples }), providerId: inst.providerId };
  }

  async quote(actor: Actor, q: QuoteQuery): Promise<Quote> {
    const enterpriseId = actor.membership?.orgType === "enterprise" ? actor.membership.orgId : null;
    if (!enterpriseId) throw new ForbiddenError();
    const { listPriceFen, providerId } = await this.priceOf(q);
    const a = await this.assessor.assess({ enterpriseId, providerId, listPriceFen, serviceAt: Date.parse(q.start) });
    if (!a) throw new NotFoundError();
    const s = splitWithinQuota(a, await this.ledger.head(a.accountId));
    const { provinceFen, cityFen, enterpriseFen, reasons } = s;
    return { listPriceFen, provinceFen, cityFen, enterpriseFen, reasons, quotaAfterFen: s.availableFen - provinceFen - cityFen, policyId: a.policy._id };
  }

  /** A booking's voucher once issued; before that the split it is expected to get. */
  async subsidyFor(b: Booking): Promise<BookingSubsidy | undefined> {
    if (!b.useVoucher) return undefined;
    const v = await this.stream.load(voucherIdOf(b.id));
    if (v) {
      const { provinceFen, cityFen, reasons } = v;
      return { provinceFen, cityFen, enterpriseFen: v.listPriceFen - v.faceValueFen, reasons: [...reasons], voucherId: v._id, voucherStatus: v.status };
    }
    const serviceAt = Math.min(...b.items.map((i) => Date.parse(i.start)));
    const a = await this.assessor.assess({ enterpriseId: b.enterpriseId, providerId: b.actingProviderId ?? b.providerIds[0]!, listPriceFen: b.priceFen, serviceAt });
    if (!a) return undefined;
    const { provinceFen, cityFen, enterpriseFen, reasons } = splitWithinQuota(a, await this.ledger.head(a.accountId));
    return { provinceFen, cityFen, enterpriseFen, reasons };
  }

  /** The enterprise's quota for a year: its members and the bureau; others 404. */
  async quota(actor: Actor, enterpriseId: string, year?: number): Promise<Quota> {
    if (!isBureau(actor) && !isMemberOf(actor, enterpriseId)) throw new NotFoundError();
    const enterprise = await this.assessor.enterprise(enterpriseId);
    if (!enterprise) throw new NotFoundError();
    const today = DateTime.fromMillis(this.now(), { zone: CITY_ZONE });
    const y = year ?? today.year;
    // The cap in force today for this year; for another year, on its first (past) or last (future) day.
    const day = y === today.year ? today.toISODate()! : y < today.year ? `${y}-12-31` : `${y}-01-01`;
    const capFen = (await this.policies.inForce(day)).annualCapFen;
    const accountId = this.assessor.accountOf(enterprise, y);
    const head = await this.ledger.head(accountId);
    return { year: y, capFen, issuedFen: head.heldFen, redeemedFen: head.redeemedFen, availableFen: Math.max(0, capFen - head.heldFen - head.redeemedFen), accountId };
  }

  /** Vouchers of my enterprise, for my provider's services, or all (the bureau), newest first. */
  async list(actor: Actor, q: VoucherListQuery): Promise<PageOf<Voucher>> {
    const m = actor.membership;
    const filter: Record<string, unknown> = {};
    if (m?.orgType === "enterprise") filter.enterpriseId = m.orgId;
    else if (m?.orgType === "provider") filter.providerId = m.orgId;
    else if (!isBureau(actor)) throw new ForbiddenError();
    if (q.status) filter.status = q.status;
    if (q.county) filter.county = q.county;
    if (q.period) filter.period = q.period;
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const [total, docs] = await Promise.all([
      this.m.vouchers.countDocuments(filter),
      this.m.vouchers.find(filter).sort({ issuedAt: -1, _id: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean<VoucherDoc[]>(),
    ]);
    const healed = await this.stream.healMany(docs);
    return { items: healed.map(presentVoucher), total, page, pageSize };
  }
}
