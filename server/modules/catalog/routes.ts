// HTTP adapter for the catalog: parse (schemas), authorize (access), call the service, present.
// Reading the catalog is public; changing it is for provider members and the bureau, and the
// services check that the entry belongs to the caller's provider.
import { IdParams, Ok } from "../../../shared/schemas/common";
import * as S from "../../../shared/schemas/catalog";
import { route, type RouteSpec } from "../../http/route";
import type { InstrumentsService } from "./instruments";
import type { PackagesService } from "./packages";

export interface CatalogRouteDeps {
  instruments: InstrumentsService;
  packages: PackagesService;
}

const CATALOG_EDITORS = ["provider_admin", "provider_staff", "bureau_admin"] as const;
const PROVIDER_MEMBERS = ["provider_admin", "provider_staff"] as const;

export function catalogRoutes(d: CatalogRouteDeps): RouteSpec[] {
  return [
    route({
      method: "get", path: "/api/categories", tag: "catalog", access: "public",
      summary: "Instrument categories (大型科研仪器分类) with Chinese and English names",
      response: S.CategoryList,
      handler: async () => S.CATEGORY_LIST,
    }),

    route({
      method: "get", path: "/api/instruments", tag: "catalog", access: "public",
      summary: "Search instruments: text (Chinese substring, English case-insensitive), filters, facets, pages",
      query: S.InstrumentSearchQuery, response: S.InstrumentSearchResult,
      handler: async ({ query }) => d.instruments.search(query),
    }),
    route({
      method: "post", path: "/api/instruments", tag: "catalog", access: CATALOG_EDITORS, status: 201,
      summary: "Publish an instrument (an approved provider's members, or the bureau naming the provider)",
      body: S.InstrumentCreateBody, response: S.Instrument, errors: ["PROVIDER_NOT_APPROVED", "OPEN_HOURS_REQUIRED"],
      handler: async ({ actor, body }) => d.instruments.create(actor!, body),
    }),
    route({
      method: "get", path: "/api/instruments/:id", tag: "catalog", access: "public",
      summary: "One instrument (retired ones too)",
      params: IdParams, response: S.Instrument, errors: ["NOT_FOUND"],
      handler: async ({ params }) => d.instruments.get(params.id),
    }),
    route({
      method: "patch", path: "/api/instruments/:id", tag: "catalog", access: CATALOG_EDITORS,
      summary: "Change an instrument (its provider's members, or the bureau); a calendar or status change over bookings it would break answers 409 with them",
      params: IdParams, body: S.InstrumentPatchBody, response: S.Instrument,
      errors: ["NOT_FOUND", "PROVIDER_NOT_APPROVED", "PRICE_UNIT_IN_USE", "CONFLICT", "OPEN_HOURS_REQUIRED", "CALENDAR_IN_USE", "BOOKINGS_AFFECTED"],
      handler: async ({ actor, params, body }) => d.instruments.update(actor!, params.id, body),
    }),

    route({
      method: "get", path: "/api/instruments/:id/blackouts", tag: "catalog", access: "public",
      summary: "An instrument's maintenance windows, by start",
      params: IdParams, response: S.BlackoutList, errors: ["NOT_FOUND"],
      handler: async ({ params }) => d.instruments.listBlackouts(params.id),
    }),
    route({
      method: "post", path: "/api/instruments/:id/blackouts", tag: "catalog", access: CATALOG_EDITORS, status: 201,
      summary: "Close an instrument for maintenance from start to end (at most 366 days); bookings in the window answer 409 with them",
      params: IdParams, body: S.BlackoutCreateBody, response: S.Blackout, errors: ["NOT_FOUND", "PROVIDER_NOT_APPROVED", "BOOKINGS_AFFECTED"],
      handler: async ({ actor, params, body }) => d.instruments.addBlackout(actor!, params.id, body),
    }),
    route({
      method: "delete", path: "/api/instruments/:id/blackouts/:blackoutId", tag: "catalog", access: CATALOG_EDITORS,
      summary: "Remove a maintenance window",
      params: S.BlackoutParams, response: Ok, errors: ["NOT_FOUND", "PROVIDER_NOT_APPROVED"],
      handler: async ({ actor, params }) => {
        await d.instruments.removeBlackout(actor!, params.id, params.blackoutId);
        return { ok: true };
      },
    }),

    route({
      method: "get", path: "/api/packages", tag: "catalog", access: "public",
      summary: "Search packaged services (打包服务) with their list prices and savings",
      query: S.PackageSearchQuery, response: S.PackageSearchResult,
      handler: async ({ query }) => d.packages.search(query),
    }),
    route({
      method: "post", path: "/api/packages", tag: "catalog", access: CATALOG_EDITORS, status: 201,
      summary: "Publish a packaged service: own or approved partners' instruments, one price",
      body: S.PackageCreateBody, response: S.Package, errors: ["PROVIDER_NOT_APPROVED"],
      handler: async ({ actor, body }) => d.packages.create(actor!, body),
    }),
    route({
      method: "get", path: "/api/packages/:id", tag: "catalog", access: "public",
      summary: "One packaged service with per-item list prices, savings and applications replaced",
      params: IdParams, response: S.Package, errors: ["NOT_FOUND"],
      handler: async ({ params }) => d.packages.get(params.id),
    }),
    route({
      method: "patch", path: "/api/packages/:id", tag: "catalog", access: CATALOG_EDITORS,
      summary: "Change a packaged service (its provider's members, or the bureau)",
      params: IdParams, body: S.PackagePatchBody, response: S.Package,
      errors: ["NOT_FOUND", "PROVIDER_NOT_APPROVED", "CONFLICT"],
      handler: async ({ actor, params, body }) => d.packages.update(actor!, params.id, body),
    }),

    // Packages across providers: each partner whose instruments a package uses accepts or declines it.
    route({
      method: "get", path: "/api/partner-requests", tag: "catalog", access: PROVIDER_MEMBERS,
      summary: "Other providers' packages that use this provider's instruments, with this provider's answer",
      response: S.PartnerRequestList, errors: ["FORBIDDEN"],
      handler: async ({ actor }) => d.packages.partnerRequests(actor!),
    }),
    ...(["accept", "decline"] as const).map((action) =>
      route({
        method: "post", path: `/api/packages/:id/partners/:providerId/${action}`, tag: "catalog", access: PROVIDER_MEMBERS,
        summary: `${action === "accept" ? "Accept" : "Decline"} a package's current items and price as the partner provider (its members only)`,
        params: S.PartnerParams, body: S.PartnerAnswerBody, response: S.Package, errors: ["NOT_FOUND", "FORBIDDEN", "PARTNER_ALREADY_DECIDED"],
        handler: async ({ actor, params, body }) =>
          d.packages.decide(actor!, params.id, params.providerId, action === "accept" ? "accepted" : "declined", body?.reason?.trim() || undefined),
      }),
    ),
  ];
}
