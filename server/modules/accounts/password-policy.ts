// Which passwords are refused beyond the schema's minimum length (docs/security.md): the ones an
// attacker tries first. A compact list of the most used passwords of eight characters or more (from
// the public breach top lists, Chinese favourites included) plus rules that catch whole families:
// one repeated character or short unit, runs like "abcdefgh" or "87654321", a keyboard row, the
// email address or its local part. NIST SP 800-63B asks for exactly this check, not for
// composition rules.
import { ValidationError } from "../../errors";

const COMMON = new Set(
  [
    "password", "password1", "password12", "password123", "password!", "passw0rd", "p@ssw0rd", "p@ssword",
    "iloveyou", "iloveyou1", "sunshine", "princess", "football", "baseball", "superman", "batman123",
    "welcome1", "welcome123", "trustno1", "letmein1", "starwars", "whatever", "computer", "internet",
    "mustang1", "michelle", "jennifer", "corvette", "mercedes", "midnight", "charlie1", "blink182",
    "1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx", "1qaz2wsx3edc", "zaq12wsx", "qazwsxedc", "qweasdzxc", "q1w2e3r4",
    "qwerty12", "qwerty123", "qwerty1234", "qwertyui", "asdf1234", "zxcv1234", "abcd1234", "abc12345",
    "abc123456", "a1234567", "a12345678", "a123456789", "aa123456", "aa12345678", "qq123456", "qwe12345",
    "12qwaszx", "1234qwer", "123qweasd", "123456abc", "123456qq", "123456aa", "12345678a", "1234abcd",
    "11223344", "112233445566", "11112222", "12341234", "123123123", "123321123", "147258369", "159357456",
    "741852963", "963852741", "123654789", "147852369", "789456123", "456789123", "1234554321", "12344321",
    "woaini1314", "woaini520", "5201314520", "1314520520", "52013140", "woaini123", "iloveyou520",
    "changeme", "changeme1", "default1", "admin123", "admin1234", "administrator", "root1234", "test1234",
    "testtest", "guest123", "user1234", "master12", "shadow12", "dragon12", "monkey12", "football1",
    "88888888", "66666666", "00000000", "87654321", "98765432", "123456789", "1234567890", "0123456789",
  ].map((p) => p.toLowerCase()),
);

// Keyboard rows (US layout, as Chinese keyboards are), each also read backwards.
const KEYBOARD_ROWS = ["1234567890-=", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./", "1qaz2wsx3edc4rfv5tgb", "zaq1xsw2cde3vfr4"];

export type WeakReason = "common" | "repeated" | "sequence" | "keyboard" | "email";

/** Why a password is too weak, or null if it is acceptable. */
export function passwordWeakness(password: string, email: string): WeakReason | null {
  const p = password.normalize("NFKC").toLowerCase();
  const bare = p.trim();
  if (COMMON.has(p) || COMMON.has(bare)) return "common";
  // "        ", "aaaaaaaa", "abababab", "abcabcab": a unit of at most three characters repeated.
  if (/^\s*$/.test(p) || /^(.{1,3})\1+.{0,2}$/su.test(p)) return "repeated";
  if (isRun(p)) return "sequence";
  if (KEYBOARD_ROWS.some((row) => row.includes(p) || [...row].reverse().join("").includes(p))) return "keyboard";
  // The address, its local part, or the local part with digits tacked on ("zhang.wei2026").
  const address = email.toLowerCase();
  const local = (address.split("@")[0] ?? "").replace(/\d+$/, "");
  if (p.includes(address) || (local.length >= 3 && p.replace(/\d+$/, "") === local)) return "email";
  return null;
}

/** Every character one step up (or every one down) from the one before: "abcdefgh", "98765432". */
function isRun(p: string): boolean {
  const codes = [...p].map((c) => c.codePointAt(0)!);
  const step = codes[1]! - codes[0]!;
  if (Math.abs(step) !== 1) return false;
  return codes.every((c, i) => i === 0 || c - codes[i - 1]! === step);
}

/** Throws PASSWORD_TOO_WEAK naming the password field and the reason, so the form shows it under the field. */
export function assertPasswordAcceptable(password: string, email: string, field = "/body/password"): void {
  const reason = passwordWeakness(password, email);
  if (!reason) return;
  throw new ValidationError([{ field, rule: "weakPassword", message: `password too weak: ${reason}`, params: { reason } }], "PASSWORD_TOO_WEAK");
}
