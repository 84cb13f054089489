import { Type, type Static } from "./common";

export const Health = Type.Object({
  status: Type.Union([Type.Literal("ok"), Type.Literal("degraded"), Type.Literal("starting")]),
  db: Type.Union([Type.Literal("ok"), Type.Literal("down")]),
});
export type Health = Static<typeof Health>;
