// Names as people type them: the same organization written with full-width letters, a zero-width
// space pasted from a web page, or doubled spaces must compare equal (and be stored cleanly).

/** Format characters (Unicode category Cf: U+200B, U+200D, U+FEFF, bidi marks, soft hyphen…). */
const FORMAT_CHARS = /\p{Cf}/gu;

/**
 * A name as stored and displayed: format characters removed, whitespace (including the ideographic
 * space U+3000) collapsed. Full-width punctuation stays: "聊城（山东）有限公司" is how it is written.
 */
export function cleanName(name: string): string {
  return name.replace(FORMAT_CHARS, "").replace(/\s+/gu, " ").trim();
}

/**
 * The key two names are compared by for uniqueness: the clean name, case-folded, without any
 * whitespace (so "聊城大学 分析测试中心" and "聊城大学分析测试中心" are one institution).
 */
export function nameKey(name: string): string {
  return cleanName(name.normalize("NFKC")).toLowerCase().normalize("NFKC").replace(/\s+/gu, "");
}
