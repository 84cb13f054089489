// A short `npm run chaos` (scripts/chaos/run.ts) in the suite: the real server in a child process
// under a mixed workload while it is SIGKILLed and restarted, its database killed and frozen and
// every socket dropped; afterwards the invariants hold, no 2xx is lost, every 5xx was a fast 503,
// nothing hung, and live updates reach a socket again. The longer run is `npm run chaos`.
import { expect } from "chai";
import { runChaos } from "../../scripts/chaos/run";

describe("chaos (short run)", function () {
  this.timeout(300_000);

  it("keeps every invariant and every accepted booking through server kills, database kills and freezes, and dropped sockets", async () => {
    const lines: string[] = [];
    const result = await runChaos({ seconds: 24, clients: 8, seed: 7, faultEveryMs: 4_000, log: (l) => lines.push(l) });
    expect(result.failures, lines.join("\n")).to.deep.equal([]);
    expect(new Set(result.faults.map((f) => f.fault))).to.have.all.keys("kill-server", "kill-database", "freeze-database", "drop-sockets");
    expect(result.record.accepted.size, "bookings accepted").to.be.greaterThan(20);
    expect(result.verification.checkedBookings).to.equal(result.record.accepted.size);
    expect(result.record.unanswered, "requests refused while the server was down").to.be.greaterThan(0);
  });
});
