// HTTP adapter for provider admission notices: opened and decided by the bureau, listed publicly,
// objected to by anyone logged in.
import { IdParams } from "../../../shared/schemas/common";
import * as S from "../../../shared/schemas/evidence";
import { route, type RouteSpec } from "../../http/route";
import type { AdmissionsService } from "./service";

const BUREAU = ["bureau_admin", "bureau_reviewer"] as const;

export function admissionsRoutes(d: { admissions: AdmissionsService }): RouteSpec[] {
  return [
    route({
      method: "post", path: "/api/admissions", tag: "admissions", access: ["bureau_admin"], status: 201,
      summary: "Open a public admission notice for a provider (the notice period comes from the configuration, 7 days by default)",
      body: S.AdmissionBody, response: S.AdmissionNotice, errors: ["NOT_FOUND", "ADMISSION_EXISTS", "ADMISSION_PROVIDER_NOT_APPROVED"],
      handler: async ({ actor, body }) => d.admissions.open(actor!, body.providerId),
    }),
    route({
      method: "get", path: "/api/admissions/notices", tag: "admissions", access: "public",
      summary: "Every admission notice, newest first: provider, dates, status now, objection counts (no texts)",
      response: S.AdmissionNoticeList,
      handler: async () => ({ items: await d.admissions.notices() }),
    }),
    route({
      method: "post", path: "/api/admissions/:id/objections", tag: "admissions", access: "user", status: 201,
      summary: "Object to a provider's admission while its notice is open (anyone logged in)",
      params: IdParams, body: S.ObjectionBody, response: S.Objection, errors: ["NOT_FOUND", "NOTICE_CLOSED"],
      handler: async ({ actor, params, body }) => d.admissions.file(actor!, params.id, body.reason),
    }),
    route({
      method: "get", path: "/api/admissions/:id/objections", tag: "admissions", access: BUREAU,
      summary: "The objections to a notice, with the bureau's decisions",
      params: IdParams, response: S.ObjectionList, errors: ["NOT_FOUND"],
      handler: async ({ params }) => ({ items: await d.admissions.objections(params.id) }),
    }),
    route({
      method: "post", path: "/api/admissions/:id/objections/:objectionId/decision", tag: "admissions", access: ["bureau_admin"],
      summary: "Uphold (the provider is not admitted) or dismiss an objection, once",
      params: S.ObjectionParams, body: S.ObjectionDecisionBody, response: S.Objection, errors: ["NOT_FOUND", "OBJECTION_ALREADY_DECIDED"],
      handler: async ({ actor, params, body }) => d.admissions.decide(actor!, params.id, params.objectionId, body.decision, body.note),
    }),
  ];
}
