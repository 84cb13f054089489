// HTTP adapter for provincial performance awards (the bureau records them; settlement pays the match).
import { Award, AwardBody, AwardList, AwardQuery } from "../../../shared/schemas/evidence";
import { route, type RouteSpec } from "../../http/route";
import type { AwardsService } from "./service";

export function awardsRoutes(d: { awards: AwardsService }): RouteSpec[] {
  return [
    route({
      method: "post", path: "/api/awards", tag: "awards", access: ["bureau_admin"],
      summary: "Record a provider's provincial performance award for a year (201; the same award again: 200; another amount: 409)",
      body: AwardBody, response: Award, errors: ["NOT_FOUND", "AWARD_EXISTS"], alsoStatus: [201],
      handler: async ({ actor, body, res }) => {
        const { award, created } = await d.awards.record(actor!, body);
        res.status(created ? 201 : 200);
        return award;
      },
    }),
    route({
      method: "get", path: "/api/awards", tag: "awards", access: ["bureau_admin", "bureau_reviewer"],
      summary: "The provincial performance awards of a year",
      query: AwardQuery, response: AwardList,
      handler: async ({ query }) => ({ items: await d.awards.awardsOfYear(query.year) }),
    }),
  ];
}
