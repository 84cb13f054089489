// Calendar feeds (issue 11): the bookings a user sees (their enterprise's, or their provider's) and
// one instrument's bookings (for its provider's members), as iCalendar files at secret URLs that
// calendar apps fetch without a cookie. The feed is read as its owner: a user who left the
// organization, or an instrument now someone else's, answers 404 like an unknown token.
import type { BookingStatus, Locale } from "../../../shared/enums";
import type { Booking } from "../../../shared/schemas/scheduling";
import type { CalendarFeed } from "../../../shared/schemas/calendar";
import { NotFoundError } from "../../errors";
import type { Actor } from "../accounts/actor";
import type { AccountsService } from "../accounts/service";
import type { OrganizationsService } from "../accounts/organizations";
import type { InstrumentsService } from "../catalog/instruments";
import type { SchedulingService } from "../scheduling/service";
import { FeedTokens, presentFeed, type FeedOwner } from "./feeds";
import { icalendar, type IcalEvent } from "./ical";

/** Bookings that ended more than this long ago are left out; at most FEED_LIMIT bookings per feed. */
const PAST_DAYS = 90;
const PAGE = 100;
const FEED_LIMIT = 1000;

const ICAL_STATUS: Record<BookingStatus, IcalEvent["status"]> = {
  pending: "TENTATIVE",
  confirmed: "CONFIRMED",
  in_progress: "CONFIRMED",
  completed: "CONFIRMED",
  no_show: "CONFIRMED",
  rejected: "CANCELLED",
  cancelled: "CANCELLED",
  expired: "CANCELLED",
};

const LABELS = {
  "zh-CN": {
    mine: "我的预约", instrument: "仪器预约", number: "预约单号", status: "状态", enterprise: "预约企业", provider: "服务机构", contact: "联系人",
    statuses: { pending: "待确认", confirmed: "已确认", in_progress: "进行中", completed: "已完成", rejected: "已拒绝", cancelled: "已取消", expired: "已过期", no_show: "未到场" },
  },
  en: {
    mine: "My bookings", instrument: "Instrument bookings", number: "Booking no.", status: "Status", enterprise: "Enterprise", provider: "Provider", contact: "Contact",
    statuses: { pending: "Pending", confirmed: "Confirmed", in_progress: "In progress", completed: "Completed", rejected: "Rejected", cancelled: "Cancelled", expired: "Expired", no_show: "No-show" },
  },
} as const satisfies Record<Locale, unknown>;

export interface CalendarDeps {
  accounts: AccountsService;
  organizations: OrganizationsService;
  instruments: InstrumentsService;
  scheduling: SchedulingService;
}

export class CalendarService {
  constructor(
    private readonly tokens: FeedTokens,
    private readonly d: CalendarDeps,
  ) {}

  /** The caller's own feed (the bookings their enterprise made, or their provider's instruments have). */
  async userFeed(actor: Actor, reset = false): Promise<CalendarFeed> {
    const owner: FeedOwner = { kind: "user", userId: actor.userId };
    return presentFeed(owner, reset ? await this.tokens.reset(owner) : await this.tokens.current(owner));
  }

  /** The caller's feed of one of their provider's instruments; another provider's answers 404. */
  async instrumentFeed(actor: Actor, instrumentId: string, reset = false): Promise<CalendarFeed> {
    await this.ownInstrument(actor, instrumentId);
    const owner: FeedOwner = { kind: "instrument", instrumentId, userId: actor.userId };
    return presentFeed(owner, reset ? await this.tokens.reset(owner) : await this.tokens.current(owner));
  }

  /** The iCalendar file behind a token, read as the token's owner. */
  async ics(token: string): Promise<string> {
    const owner = await this.tokens.resolve(token);
    const who = owner && (await this.d.accounts.actorOf(owner.userId));
    const orgType = who?.actor.membership?.orgType;
    if (!owner || !who || (orgType !== "enterprise" && orgType !== "provider")) throw new NotFoundError();
    const labels = LABELS[who.locale];
    let name: string = labels.mine;
    if (owner.kind === "instrument") {
      const inst = await this.ownInstrument(who.actor, owner.instrumentId);
      name = `${labels.instrument} · ${inst.name}`;
    }
    const instrumentId = owner.kind === "instrument" ? owner.instrumentId : undefined;
    const bookings = await this.bookings(who.actor, orgType, instrumentId);
    return icalendar({ name, events: await this.events(bookings, labels, orgType, instrumentId) });
  }

  private async ownInstrument(actor: Actor, instrumentId: string) {
    const inst = await this.d.instruments.get(instrumentId);
    const m = actor.membership;
    if (m?.orgType !== "provider" || inst.providerId !== m.orgId) throw new NotFoundError();
    return inst;
  }

  /** What the owner's booking list shows from PAST_DAYS ago on (the newest FEED_LIMIT). */
  private async bookings(actor: Actor, scope: "enterprise" | "provider", instrumentId?: string): Promise<Booking[]> {
    const from = new Date(Date.now() - PAST_DAYS * 86_400_000).toISOString();
    const out: Booking[] = [];
    for (let page = 1; out.length < FEED_LIMIT; page++) {
      const res = await this.d.scheduling.list(actor, { scope, from, page, pageSize: PAGE, ...(instrumentId ? { instrumentId } : {}) });
      out.push(...res.items);
      if (page * PAGE >= res.total || res.items.length === 0) break;
    }
    return out;
  }

  private async events(bookings: Booking[], labels: (typeof LABELS)[Locale], side: "enterprise" | "provider", instrumentId?: string): Promise<IcalEvent[]> {
    const instrumentIds = [...new Set(bookings.flatMap((b) => b.items.map((i) => i.instrumentId)))];
    const providerIds = [...new Set(bookings.flatMap((b) => b.items.map((i) => i.providerId)))];
    const [instruments, providers, contacts] = await Promise.all([
      Promise.all(instrumentIds.map((id) => this.d.instruments.get(id).catch(() => null))),
      Promise.all(providerIds.map((id) => this.d.organizations.stream.load("provider", id))),
      side === "enterprise" ? this.d.organizations.contacts.many(providerIds) : Promise.resolve(new Map()),
    ]);
    const location = new Map(instrumentIds.map((id, k) => [id, instruments[k]?.location ?? ""]));
    const providerName = new Map(providerIds.map((id, k) => [id, providers[k]?.name ?? ""]));
    const events: IcalEvent[] = [];
    for (const b of bookings) {
      b.items.forEach((item, k) => {
        if (instrumentId && item.instrumentId !== instrumentId) return;
        const contact = contacts.get(item.providerId);
        const number = b.number ?? b.id;
        const description = [
          `${labels.number}: ${number}`,
          `${labels.status}: ${labels.statuses[b.status]}`,
          b.kind === "package" ? b.title : "",
          `${labels.enterprise}: ${b.enterpriseName}`,
          `${labels.provider}: ${providerName.get(item.providerId) ?? ""}`,
          contact ? `${labels.contact}: ${contact.contactPerson} ${contact.phone}${contact.email ? ` ${contact.email}` : ""}` : "",
          b.note ?? "",
        ].filter(Boolean).join("\n");
        const where = [contact?.address, location.get(item.instrumentId)].filter(Boolean).join(" · ");
        const summary = side === "provider" ? `${item.instrumentName} · ${b.enterpriseName}` : item.instrumentName;
        item.parts.forEach((part, p) => {
          events.push({
            uid: `${b.id}-${k}${item.parts.length > 1 ? `-${p}` : ""}@labshare`,
            stamp: new Date(b.updatedAt),
            start: new Date(part.start),
            end: new Date(part.end),
            summary: `${summary} (${number})`,
            ...(where ? { location: where } : {}),
            description,
            status: ICAL_STATUS[b.status],
            sequence: b.history.length - 1,
          });
        });
      });
    }
    return events;
  }
}
