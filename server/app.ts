// The Express app factory: no listen here, so tests start it on port 0 and main.ts on PORT.
import path from "node:path";
import { existsSync } from "node:fs";
import express, { type Express } from "express";
import cookieParser from "cookie-parser";
import type { Connection } from "mongoose";
import { PROJECT_ROOT, type Config } from "./config";
import { eventModel } from "./db/event-store";
import { DomainEventBus } from "./events";
import { resolveActor } from "./http/auth";
import { errorHandler, routeNotFound } from "./http/errors";
import { DomainError } from "./errors";
import { buildOpenApi } from "./http/openapi";
import type { RouteSpec } from "./http/route";
import type { RedisCommand } from "./http/rate-limit";
import { mountRoutes } from "./http/router";
import { systemRoutes, type Readiness } from "./http/system-routes";
import { clientMethodNotAllowed, methodNotAllowed, sameOriginForCookieSessions, securityHeaders } from "./http/security";
import type { Logger } from "./logger";
import { accountsModels, type ProviderDoc } from "./modules/accounts/model";
import { OrgStream } from "./modules/accounts/org-stream";
import { AccountsService } from "./modules/accounts/service";
import { OrganizationsService } from "./modules/accounts/organizations";
import { MembersService } from "./modules/accounts/members";
import { accountsRoutes } from "./modules/accounts/routes";
import { createCatalogServices } from "./modules/catalog/service";
import { catalogRoutes } from "./modules/catalog/routes";
import { schedulingModels } from "./modules/scheduling/model";
import { schedulingRoutes } from "./modules/scheduling/routes";
import { SchedulingService } from "./modules/scheduling/service";
import { InstrumentUsageService } from "./modules/scheduling/instrument-usage";
import { VoucherService } from "./modules/vouchers/service";
import { voucherRoutes } from "./modules/vouchers/routes";
import { uploadModel } from "./modules/uploads/model";
import { UploadsService } from "./modules/uploads/service";
import { uploadsRoutes } from "./modules/uploads/routes";
import { photoModel } from "./modules/photos/model";
import { PhotosService } from "./modules/photos/service";
import { photosRoutes } from "./modules/photos/routes";
import { awardModel } from "./modules/awards/model";
import { AwardsService } from "./modules/awards/service";
import { awardsRoutes } from "./modules/awards/routes";
import { admissionModels } from "./modules/admissions/model";
import { AdmissionsService } from "./modules/admissions/service";
import { admissionsRoutes } from "./modules/admissions/routes";
import { VoucherClaimsService } from "./modules/vouchers/claims-service";
import { claimRoutes } from "./modules/vouchers/claim-routes";
import { notificationModels } from "./modules/notifications/model";
import { NotificationsService } from "./modules/notifications/service";
import { NotificationFollower } from "./modules/notifications/follow";
import { notificationsRoutes } from "./modules/notifications/routes";
import { calendarFeedModel } from "./modules/calendar/model";
import { FeedTokens } from "./modules/calendar/feeds";
import { CalendarService } from "./modules/calendar/service";
import { calendarRoutes } from "./modules/calendar/routes";
import { StatsService } from "./modules/stats/service";
import { statsRoutes } from "./modules/stats/routes";
import { OversightService } from "./modules/oversight/service";
import { oversightRoutes } from "./modules/oversight/routes";
import { LiveUtilization } from "./modules/stats/live";
import type { UsageReads } from "./modules/stats/usage-reads";
import { UtilizationService } from "./modules/stats/utilization";
import { liveRoutes } from "./modules/stats/live-routes";
import { StatsTopRanking } from "./modules/stats/top";
import { statsTopRoutes } from "./modules/stats/top-routes";
import { auditModels } from "./modules/audit/model";
import { ChangeLog } from "./modules/audit/change-log";
import { Journal } from "./modules/audit/journal";
import { AuditRecorder } from "./modules/audit/recorder";
import { AuditService } from "./modules/audit/service";
import { auditRoutes } from "./modules/audit/routes";
import { ExchangeExport } from "./modules/exchange/export";
import { Outbox } from "./modules/exchange/outbox";
import { exchangeRoutes } from "./modules/exchange/routes";

export const API_VERSION = "0.1.0";
const CLIENT_DIST = path.join(PROJECT_ROOT, "client", "dist");

export interface AppDeps {
  config: Config;
  conn: Connection;
  logger: Logger;
  /** /api/health answers 503 "starting" until it is ready; none: ready at once. */
  readiness?: Readiness;
  /** With REDIS_URL: raw Redis commands, for rate limits shared by all processes. */
  redisCommand?: RedisCommand;
}

/** Services wired to one database connection and one event bus. */
export function createServices(conn: Connection, config: Config) {
  const bus = new DomainEventBus();
  const events = eventModel(conn);
  const m = accountsModels(conn);
  // Organization reads (me, catalog publishers, lists) heal projections behind their event stream.
  const orgStream = new OrgStream(m, events);
  const accounts = new AccountsService(m, { sessionDays: config.sessionDays }, bus, orgStream);
  const organizations = new OrganizationsService(m, events, bus, orgStream);
  const members = new MembersService(m, events, bus, accounts, { invitationDays: config.invitationDays });
  const findProvider = (id: string) => orgStream.load("provider", id) as Promise<ProviderDoc | null>;
  const { instruments, packages } = createCatalogServices(conn, findProvider, events, bus);
  const schedulingData = schedulingModels(conn);
  const scheduling = new SchedulingService(schedulingData, events, bus, { instruments, packages, organizations });
  instruments.setAvailabilityProbe((id, start, end) => scheduling.slotsNow(id, start, end));
  // Calendar, status and maintenance changes ask scheduling which bookings they would break, and a
  // booking re-checks the instrument after claiming (catalog/calendar-guard.ts).
  instruments.setUsage(new InstrumentUsageService(schedulingData, events, (id) => scheduling.load(id), () => scheduling.now()));
  // Evidence and the provider programme: uploads, provincial awards, admission notices.
  const uploads = new UploadsService(uploadModel(conn), path.join(config.dataDir, "uploads"));
  const photos = new PhotosService(photoModel(conn), path.join(config.dataDir, "photos"), instruments);
  const providerName = async (id: string) => (await findProvider(id))?.name ?? null;
  const awards = new AwardsService(awardModel(conn), providerName);
  const admissions = new AdmissionsService(admissionModels(conn), findProvider, { noticeDays: config.admissionNoticeDays });
  // Vouchers stand above scheduling: they follow its events and answer its SubsidyPort.
  const isAdmitted = (providerId: string, at: Date) => admissions.isAdmitted(providerId, at);
  const vouchers = new VoucherService(conn, events, bus, { orgStream, instruments, packages, bookings: scheduling, isAdmitted });
  scheduling.subsidy = vouchers;
  // Claims, expiry and monthly settlement stand on the vouchers, uploads and awards.
  const claims = new VoucherClaimsService(conn, events, vouchers, { bus, orgStream, bookings: scheduling, uploads, awards });
  // The notification centre stands on top: it follows the bus and reads bookings and memberships.
  const notifications = new NotificationsService(notificationModels(conn), bus);
  const notificationFollower = new NotificationFollower(notifications, {
    bus,
    bookings: scheduling,
    memberIds: (orgId) => members.memberIds(orgId),
    reviewRound: async (type, id) => {
      const org = await orgStream.load(type, id);
      return org ? (org.round ?? 1) : null;
    },
  });
  // Calendar feeds (issue 11) only read: bookings through scheduling, as the feed's owner.
  const calendar = new CalendarService(new FeedTokens(calendarFeedModel(conn)), { accounts, organizations, instruments, scheduling });
  // Statistics stand on top and only read (docs/stats.md).
  const stats = new StatsService(conn);
  // Oversight (budgets, scorecards, signals) reads on top too; it decides only its own records.
  const oversight = new OversightService(conn, { loadBooking: (id) => scheduling.load(id), policies: vouchers.policies });
  // Live utilization (issue 12): reads by `_id` through the modules below (docs/stats.md).
  const usageReads: UsageReads = {
    instruments: () => instruments.all(),
    blackouts: (ids, start, end) => instruments.blackoutsOfMany(ids, start, end),
    slotHolders: (wanted) => scheduling.slotHolders(wanted),
    bookings: (ids) => scheduling.bookingsByIds(ids),
    numbersOfDay: (day, after) => scheduling.numbersOfDay(day, after),
    vouchersOfBookings: (ids) => vouchers.vouchersOfBookings(ids),
  };
  const utilization = new UtilizationService(usageReads);
  const live = new LiveUtilization(usageReads);
  const statsTop = new StatsTopRanking(conn, () => stats.now());
  // The audit journal follows every append-only insert it audits; the exchange reads its change log (docs/audit.md).
  const auditData = auditModels(conn);
  const journal = new Journal(auditData, new ChangeLog(auditData), conn);
  const auditRecorder = new AuditRecorder(journal);
  auditRecorder.follow(conn);
  const audit = new AuditService(auditData, conn, journal.log);
  const outbox = new Outbox(journal, journal.log);
  const exchangeExport = new ExchangeExport(conn, orgStream);
  return { oversight, bus, accounts, organizations, members, instruments, packages, scheduling, vouchers, uploads, awards, admissions, claims, notifications, notificationFollower, photos, calendar, stats, utilization, live, statsTop, journal, auditRecorder, audit, outbox, exchangeExport };
}
export type Services = ReturnType<typeof createServices>;

export function createApp({ config, conn, logger, readiness, redisCommand }: AppDeps): { app: Express; services: Services; routes: RouteSpec[] } {
  const services = createServices(conn, config);
  // A step after a booking's commit point failed: the booking stands, the step is healed later.
  services.scheduling.reportDeferred = (step, bookingId, err) => logger.warn({ err, step, bookingId }, "booking step after commit failed; healed later");
  services.vouchers.reportDeferred = (step, bookingId, err) => logger.warn({ err, step, bookingId }, "voucher step failed; repaired later");
  services.notificationFollower.reportFailure = (step, subject, err) => logger.error({ err, step, subject }, "notification not written");
  services.auditRecorder.reportFailure = (key, err) => logger.error({ err, key }, "audit entry not written; the repair pass writes it");
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(securityHeaders(config.cookieSecure));

  // Until start-up is done (demo data, the catalog index), the API answers 503 at once rather
  // than keep early callers waiting on a server still loading; /api/health says "starting".
  app.use("/api", (req, res, next) => {
    if (!readiness || readiness.isReady() || req.path === "/health") return next();
    res.set("Retry-After", "2");
    next(new DomainError("STARTING"));
  });
  app.use("/api", express.json({ limit: "100kb" }), cookieParser(), resolveActor(services.accounts), sameOriginForCookieSessions);

  const routes: RouteSpec[] = [];
  let openApi: unknown;
  routes.push(
    ...systemRoutes(conn, () => (openApi ??= buildOpenApi(routes, API_VERSION)), readiness),
    ...accountsRoutes({
      ...services,
      cookieSecure: config.cookieSecure,
      sessionDays: config.sessionDays,
      loginAttemptsPer15Min: config.loginAttemptsPer15Min,
      registrationsPerIpPerHour: config.registrationsPerIpPerHour,
      redis: redisCommand,
    }),
    ...catalogRoutes(services),
    ...schedulingRoutes(services),
    ...voucherRoutes(services),
    ...uploadsRoutes(services),
    ...photosRoutes(services),
    ...awardsRoutes(services),
    ...admissionsRoutes(services),
    ...claimRoutes(services),
    ...notificationsRoutes(services),
    ...calendarRoutes(services),
    ...statsRoutes(services),
    ...oversightRoutes(services),
    ...liveRoutes(services),
    ...statsTopRoutes(services),
    ...auditRoutes(services),
    ...exchangeRoutes(services),
  );
  mountRoutes(app, routes, logger);
  app.use("/api", methodNotAllowed(routes), routeNotFound);

  serveClient(app);
  app.use(errorHandler(logger));
  return { app, services, routes };
}

/** The built Vue app; any other GET falls back to index.html so client-side routes survive a reload. */
function serveClient(app: Express): void {
  const index = path.join(CLIENT_DIST, "index.html");
  app.use(express.static(CLIENT_DIST, { index: false, maxAge: "1h" }));
  app.get("/{*path}", (_req, res) => {
    if (existsSync(index)) return res.sendFile(index, { maxAge: 0 });
    res.status(503).type("text").send("The client is not built: run `npm run build:client`.");
  });
  app.use(clientMethodNotAllowed);
}
