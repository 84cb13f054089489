// The password policy as a pure function (server/modules/accounts/password-policy.ts) and the
// socket event token bucket (server/realtime/event-rate.ts) on a frozen clock.
import { expect } from "chai";
import { passwordWeakness } from "../../server/modules/accounts/password-policy";
import { TokenBucket } from "../../server/realtime/event-rate";

describe("password policy", () => {
  const email = "li.na@firm.example";
  const cases: [string, string | null][] = [
    ["12345678", "sequence"],
    ["woaini1314", "common"],
    ["        ", "repeated"],
    ["\t\t\t\t\t\t\t\t", "repeated"],
    ["PASSWORD", "common"],
    [" password ", "common"],
    ["zzzzzzzzzzzz", "repeated"],
    ["abcabcabc", "repeated"],
    ["hijklmnop", "sequence"],
    ["98765432", "common"],
    ["poiuytre", "keyboard"],
    ["asdfghjk", "keyboard"],
    ["li.na@firm.example", "email"],
    ["li.na2026", "email"],
    ["correct horse battery", null],
    ["labshare-demo", null],
    ["猫咪喜欢晒太阳啊", null],
    ["Tr0ub4dor&3", null],
  ];
  for (const [password, reason] of cases) {
    it(`${JSON.stringify(password)} → ${reason ?? "accepted"}`, () => {
      expect(passwordWeakness(password, email)).to.equal(reason);
    });
  }
});

describe("socket event token bucket", () => {
  it("lets a burst through, refuses the next, and refills at the configured rate", () => {
    let now = 0;
    const bucket = new TokenBucket(20, 50, () => now);
    const burst = Array.from({ length: 60 }, () => bucket.take());
    expect(burst.filter(Boolean)).to.have.length(50);
    now += 100; // 0.1 s: two tokens
    expect([bucket.take(), bucket.take(), bucket.take()]).to.deep.equal([true, true, false]);
    now += 60_000; // refills up to the burst, not beyond
    expect(Array.from({ length: 55 }, () => bucket.take()).filter(Boolean)).to.have.length(50);
  });
});
