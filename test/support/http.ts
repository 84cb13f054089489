// A small HTTP client for tests: JSON in, `{status, body, headers}` out, optional bearer token.
import { expect } from "chai";

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** A raw body sent as-is (for malformed-input tests); `json` is ignored when set. */
  raw?: string;
  json?: unknown;
}

export function apiClient(baseUrl: string) {
  async function call<T = any>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  return {
    call,
    get: <T = any>(path: string, opts?: RequestOptions) => call<T>("GET", path, opts),
    post: <T = any>(path: string, json?: unknown, opts?: RequestOptions) => call<T>("POST", path, { ...opts, json }),
    patch: <T = any>(path: string, json?: unknown, opts?: RequestOptions) => call<T>("PATCH", path, { ...opts, json }),
  };
}
export type ApiClient = ReturnType<typeof apiClient>;

/** Asserts the status (and the error code, if given), showing the body when it differs. */
export function expectStatus(res: ApiResponse, status: number, code?: string): void {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  if (code) expect(res.body.error.code).to.equal(code);
}
