// The catalog's search state lives in the URL (?tab=&q=&category=&county=&minPrice=...), so back,
// forward, reload and a shared link all show the same results. Prices are yuan in the URL (people
// read it) and fen in the API.
import { computed } from "vue";
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from "vue-router";
import {
  CATALOG_SORTS,
  CATEGORY_CODES,
  COUNTY_CODES,
  PACKAGE_PURPOSES,
  PROVIDER_KINDS,
  type CatalogSort,
  type Category,
  type County,
  type PackagePurpose,
  type ProviderKind,
} from "@shared/enums";
import type { InstrumentSearchQuery, PackageSearchQuery } from "@shared/schemas/catalog";
import { yuanToFen } from "../money";

type Sort = CatalogSort;

export const CATALOG_TABS = ["instruments", "packages"] as const;
export type CatalogTab = (typeof CATALOG_TABS)[number];
export const SORTS = CATALOG_SORTS;
/** How instruments are shown: cards, or a dense table (absent from the URL: the user's last choice). */
export const CATALOG_VIEWS = ["cards", "table"] as const;
export type CatalogViewMode = (typeof CATALOG_VIEWS)[number];
export const PAGE_SIZES = [10, 20, 50] as const;
const DEFAULT_PAGE_SIZE = 20;

export interface CatalogState {
  tab: CatalogTab;
  q: string;
  category?: Category;
  purpose?: PackagePurpose;
  county?: County;
  providerKind?: ProviderKind;
  /** Yuan, as typed. */
  minPrice?: number;
  maxPrice?: number;
  sort: Sort;
  page: number;
  pageSize: number;
  view?: CatalogViewMode;
}

function first(value: LocationQuery[string] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === "string" && v !== "" ? v : undefined;
}

function oneOf<T extends string>(list: readonly T[], value: string | undefined): T | undefined {
  return (list as readonly string[]).includes(value ?? "") ? (value as T) : undefined;
}

function amount(value: string | undefined): number | undefined {
  const n = value === undefined ? NaN : Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function whole(value: string | undefined, fallback: number, allowed?: readonly number[]): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) return fallback;
  return allowed && !allowed.includes(n) ? fallback : n;
}

export function parseCatalogQuery(query: LocationQuery): CatalogState {
  const tab = oneOf(CATALOG_TABS, first(query.tab)) ?? "instruments";
  return {
    tab,
    q: first(query.q)?.slice(0, 100) ?? "",
    category: tab === "instruments" ? oneOf(CATEGORY_CODES, first(query.category)) : undefined,
    purpose: tab === "packages" ? oneOf(PACKAGE_PURPOSES, first(query.purpose)) : undefined,
    county: oneOf(COUNTY_CODES, first(query.county)),
    providerKind: oneOf(PROVIDER_KINDS, first(query.providerKind)),
    minPrice: amount(first(query.minPrice)),
    maxPrice: amount(first(query.maxPrice)),
    sort: oneOf(SORTS, first(query.sort)) ?? "relevance",
    page: whole(first(query.page), 1),
    pageSize: whole(first(query.pageSize), DEFAULT_PAGE_SIZE, PAGE_SIZES),
    view: oneOf(CATALOG_VIEWS, first(query.view)),
  };
}

/** The URL query for a state, leaving defaults out so links stay short. */
export function catalogQueryOf(state: CatalogState): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  if (state.tab !== "instruments") query.tab = state.tab;
  if (state.q) query.q = state.q;
  for (const key of ["category", "purpose", "county", "providerKind"] as const) {
    if (state[key]) query[key] = state[key];
  }
  if (state.minPrice !== undefined) query.minPrice = String(state.minPrice);
  if (state.maxPrice !== undefined) query.maxPrice = String(state.maxPrice);
  if (state.sort !== "relevance") query.sort = state.sort;
  if (state.page > 1) query.page = String(state.page);
  if (state.pageSize !== DEFAULT_PAGE_SIZE) query.pageSize = String(state.pageSize);
  if (state.view) query.view = state.view;
  return query;
}

function commonQuery(state: CatalogState) {
  return {
    q: state.q || undefined,
    county: state.county,
    providerKind: state.providerKind,
    minPriceFen: state.minPrice === undefined ? undefined : yuanToFen(state.minPrice),
    maxPriceFen: state.maxPrice === undefined ? undefined : yuanToFen(state.maxPrice),
    sort: state.sort,
    page: state.page,
    pageSize: state.pageSize,
  };
}

export const instrumentSearchOf = (state: CatalogState): InstrumentSearchQuery => ({
  ...commonQuery(state),
  category: state.category,
});

export const packageSearchOf = (state: CatalogState): PackageSearchQuery => ({
  ...commonQuery(state),
  purpose: state.purpose,
});

export function useCatalogQuery() {
  const route = useRoute();
  const router = useRouter();
  const state = computed(() => parseCatalogQuery(route.query));

  /** A new search: one history entry, back to page 1 unless the change is the page itself. */
  function update(patch: Partial<CatalogState>) {
    const next: CatalogState = { ...state.value, page: 1, ...patch };
    void router.push({ query: catalogQueryOf(next) });
  }

  return { state, update };
}
