// A provider's address and contact for delivering samples (issue 11). One document per provider,
// `_id = providerId` (read by `_id`; FerretDB indexes nothing else). Its admin is its only writer,
// so a plain replace is enough: no decision here needs an insert to be exclusive.
import { Schema, type Connection, type Model } from "mongoose";
import { nameKey } from "../../../shared/normalize";
import type { ProviderContact, ProviderContactBody } from "../../../shared/schemas/accounts";
import { NotFoundError, ValidationError } from "../../errors";
import { isBureau, isMemberOf, type Actor } from "./actor";
import type { OrgStream } from "./org-stream";

export interface ProviderContactDoc extends ProviderContactBody {
  _id: string;
  updatedAt: Date;
  updatedBy: string;
}
const providerContactSchema = new Schema<ProviderContactDoc>(
  {
    _id: String,
    address: { type: String, required: true },
    contactPerson: { type: String, required: true },
    phone: { type: String, required: true },
    email: String,
    note: String,
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { versionKey: false },
);

export function providerContactModel(conn: Connection): Model<ProviderContactDoc> {
  return conn.model<ProviderContactDoc>("ProviderContact", providerContactSchema, "provider_contacts");
}

function present(doc: ProviderContactDoc): ProviderContact {
  return {
    providerId: doc._id,
    address: doc.address,
    contactPerson: doc.contactPerson,
    phone: doc.phone,
    ...(doc.email ? { email: doc.email } : {}),
    ...(doc.note ? { note: doc.note } : {}),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export class ProviderContacts {
  constructor(
    private readonly model: Model<ProviderContactDoc>,
    private readonly stream: OrgStream,
  ) {}

  /** Anyone logged in sees an approved provider's contact; its members and the bureau always. */
  async get(actor: Actor, providerId: string): Promise<ProviderContact | null> {
    const provider = await this.stream.load("provider", providerId);
    if (!provider || !(provider.status === "approved" || isMemberOf(actor, providerId) || isBureau(actor))) throw new NotFoundError();
    const doc = await this.model.findById(providerId).lean<ProviderContactDoc>();
    return doc ? present(doc) : null;
  }

  /** The provider's admin sets the whole contact (texts trimmed; a blank one is refused). */
  async set(actor: Actor, providerId: string, body: ProviderContactBody): Promise<ProviderContact> {
    if (!isMemberOf(actor, providerId) || actor.membership?.orgType !== "provider") throw new NotFoundError();
    const clean = (s: string | undefined) => s?.trim().replace(/\s+/g, " ") ?? "";
    const fields = { address: clean(body.address), contactPerson: clean(body.contactPerson), phone: clean(body.phone) };
    for (const [field, value] of Object.entries(fields)) {
      // Made of spaces or format characters only (e.g. U+200B): nothing visible.
      if (!nameKey(value)) throw new ValidationError([{ field: `/body/${field}`, rule: "pattern", message: "must not be blank", params: { expected: "notBlank" } }]);
    }
    const note = clean(body.note);
    const doc: ProviderContactDoc = {
      _id: providerId,
      ...fields,
      ...(body.email ? { email: body.email.trim().toLowerCase() } : {}),
      ...(note ? { note } : {}),
      updatedAt: new Date(),
      updatedBy: actor.userId,
    };
    await this.model.replaceOne({ _id: providerId }, doc, { upsert: true });
    return present(doc);
  }

  /** The contacts of several providers, by id (one `_id` read each: `$in` is not pushed down on FerretDB). */
  async many(providerIds: readonly string[]): Promise<Map<string, ProviderContact>> {
    const docs = await Promise.all(providerIds.map((id) => this.model.findById(id).lean<ProviderContactDoc>()));
    return new Map(docs.filter((d): d is ProviderContactDoc => !!d).map((d) => [d._id, present(d)]));
  }
}
