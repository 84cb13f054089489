// A small JSON fetch client. The session travels in the httpOnly cookie the server sets, so every
// request is same-origin with credentials; Accept-Language lets the server localize its messages.
import type { ErrorBody } from "@shared/schemas/common";
import type { FieldError } from "@shared/errors";
import { currentLocale, i18n } from "../i18n";

/** An error answer from the API, or NETWORK when the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
    readonly retryAfter?: number,
    /** Whatever else the error body carries, e.g. the `conflicts` of a SLOT_TAKEN. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Query = Record<string, string | number | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function request<T>(method: string, path: string, body?: unknown, query?: Query, extraHeaders?: Record<string, string>): Promise<T> {
  const headers: Record<string, string> = {
    Accept: "application/json",
    "Accept-Language": currentLocale(),
    ...extraHeaders,
  };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(withQuery(path, query), {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "NETWORK", i18n.global.t("errors.network"));
  }
  const data: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  if (!response.ok) throw toApiError(response, data);
  return data as T;
}

function toApiError(response: Response, data: unknown): ApiError {
  const error = (data as Partial<ErrorBody> | undefined)?.error;
  if (error && typeof error.message === "string") {
    const { code, message, fields, retryAfter, ...details } = error;
    return new ApiError(response.status, code, message, fields ?? [], retryAfter, details);
  }
  // Not our JSON error shape (a proxy page, a crash): still say something useful.
  return new ApiError(response.status, "HTTP_" + response.status, `${response.status} ${response.statusText}`);
}

export const http = {
  get: <T>(path: string, query?: Query) => request<T>("GET", path, undefined, query),
  post: <T>(path: string, body: unknown = {}, headers?: Record<string, string>) => request<T>("POST", path, body, undefined, headers),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, body),
  delete: <T = void>(path: string) => request<T>("DELETE", path),
};
