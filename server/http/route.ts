// A route is data: method, path, access rule, schemas and a handler. The router mounts it, the
// OpenAPI document describes it, and a test checks that every mounted route came through here.
import type { Request, RequestHandler, Response } from "express";
import type { Static, TSchema } from "@sinclair/typebox";
import type { Locale, Role } from "../../shared/enums";
import type { ErrorCode } from "../../shared/errors";
import type { Actor } from "../modules/accounts/actor";

/** "public": anyone; "user": any logged-in user; a role list: members holding one of those roles. */
export type Access = "public" | "user" | readonly Role[];

export type Method = "get" | "post" | "patch" | "put" | "delete";

type Infer<S> = S extends TSchema ? Static<S> : undefined;

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  actor: Actor | null;
  locale: Locale;
  req: Request;
  res: Response;
}

export interface RouteSpec<
  PS extends TSchema | undefined = TSchema | undefined,
  QS extends TSchema | undefined = TSchema | undefined,
  BS extends TSchema | undefined = TSchema | undefined,
> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: PS;
  query?: QS;
  body?: BS;
  response: TSchema;
  /**
   * A multipart/form-data upload instead of a JSON body: the handler reads it (e.g. uploads/multipart.ts)
   * and the OpenAPI document describes the file field.
   */
  multipart?: { field: string; maxBytes: number };
  /**
   * A success body that is a file the handler sends itself rather than JSON: its media types for the
   * OpenAPI document, and whether it answers 304 to a matching If-None-Match.
   */
  file?: { types: readonly string[]; notModified?: boolean };
  /** Success status (200 by default). */
  status?: number;
  /**
   * Other statuses the handler itself sets, answering with the same response schema: 201 from an
   * idempotent create that answers 200 on a repeat, 503 from the health check. For the OpenAPI document.
   */
  alsoStatus?: readonly number[];
  /** Error codes this route can answer with besides the generic ones, for the OpenAPI document. */
  errors?: readonly ErrorCode[];
  /** Extra middleware run after the access check and validation, before the handler (e.g. a rate limiter). */
  before?: RequestHandler[];
  /** The handler may give one result object, never changed afterwards, to concurrent requests: check and serialize it once. */
  sharedResults?: boolean;
  handler: (ctx: RouteContext<Infer<PS>, Infer<QS>, Infer<BS>>) => Promise<unknown>;
}

/** Identity function that lets TypeScript infer the handler's types from the schemas. */
export function route<
  PS extends TSchema | undefined = undefined,
  QS extends TSchema | undefined = undefined,
  BS extends TSchema | undefined = undefined,
>(spec: RouteSpec<PS, QS, BS>): RouteSpec {
  return spec as unknown as RouteSpec;
}
