import type { Request } from "express";
import type { Locale } from "../../shared/enums";

/** zh-CN unless the client prefers English ("en", "en-US", "en;q=0.9, zh;q=0.8"). */
export function requestLocale(req: Request): Locale {
  const header = req.headers["accept-language"];
  if (!header) return "zh-CN";
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag = "", q] = part.trim().split(";q=");
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) || 0 };
    })
    .filter((x) => x.q > 0) // q=0 means "not this language"
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith("en")) return "en";
    if (tag.startsWith("zh")) return "zh-CN";
  }
  return "zh-CN";
}
