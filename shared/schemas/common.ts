// Building blocks for the JSON Schemas of every request and response. TypeBox gives each schema
// a plain JSON Schema object (what Ajv and the OpenAPI document use) and its TypeScript type.
import { Type, type TSchema, type Static, type TUnsafe } from "@sinclair/typebox";
import { ERROR_CODES } from "../errors";

export { Type, type Static, type TSchema };

/** A string restricted to a list of codes, emitted as a plain `enum` (clear Ajv messages). */
export function StringEnum<const T extends readonly string[]>(values: T, options: object = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });
}

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_:-]+$" });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export const DateTime = Type.String({ format: "date-time" });
/** Money is integer fen (分), never floating point. */
export const Fen = Type.Integer({ minimum: 0, maximum: 100_000_000_000 });
export const Email = Type.String({ format: "email", maxLength: 254 });

/** A booking a catalog change would break: who booked it and its time on the instrument. */
export const AffectedBooking = Type.Object({ id: Type.String(), enterpriseName: Type.String(), start: DateTime, end: DateTime });
export type AffectedBooking = Static<typeof AffectedBooking>;

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: StringEnum(ERROR_CODES),
    message: Type.String(),
    fields: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), rule: Type.String(), message: Type.String() })),
    ),
    retryAfter: Type.Optional(Type.Integer()),
    /** SLOT_TAKEN: the slots someone else holds (instrument, start, end). */
    conflicts: Type.Optional(Type.Array(Type.Object({ instrumentId: Type.String(), start: DateTime, end: DateTime }))),
    /** CALENDAR_IN_USE, BOOKINGS_AFFECTED: the bookings standing in the way of the change. */
    bookings: Type.Optional(Type.Array(AffectedBooking)),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

export const MAX_PAGE_SIZE = 100;
export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })),
};

export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    total: Type.Integer({ minimum: 0 }),
    page: Type.Integer({ minimum: 1 }),
    pageSize: Type.Integer({ minimum: 1 }),
  });
}
export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const Ok = Type.Object({ ok: Type.Literal(true) });
