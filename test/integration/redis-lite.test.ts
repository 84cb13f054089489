// redis-lite (scripts/redis-lite), the Redis-protocol server the tests build from the Go module
// proxy when no redis-server is installed, serves what the Socket.IO Redis adapter sends: channel
// and pattern pub/sub, PUBSUB NUMSUB (how the adapter counts the other servers for fetchSockets),
// across two real Socket.IO servers. Runs whether or not redis-server is installed.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdapter } from "@socket.io/redis-adapter";
import { expect } from "chai";
import { createClient, type RedisClientType } from "redis";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { startRedis, type TestRedis } from "../support/redis";

describe("redis-lite, the Redis built when redis-server is missing", function () {
  this.timeout(30_000);
  let redis: TestRedis;
  const clients: RedisClientType[] = [];
  const closers: (() => Promise<unknown> | void)[] = [];

  before(async function () {
    this.timeout(180_000); // a first run builds it
    redis = await startRedis("redis-lite");
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  after(async () => redis?.stop());

  const client = async () => {
    const c: RedisClientType = createClient({ url: redis.url });
    clients.push(c);
    await c.connect();
    return c;
  };

  it("delivers a PUBLISH to channel and pattern subscribers and counts them with PUBSUB NUMSUB", async () => {
    const [pub, sub, psub] = await Promise.all([client(), client(), client()]);
    const heard: string[] = [];
    await sub.subscribe("socket.io#/#", (msg) => heard.push(`channel ${msg}`));
    await psub.pSubscribe("socket.io#/#*", (msg) => heard.push(`pattern ${msg}`));
    expect(await pub.pubSubNumSub("socket.io#/#")).to.deep.equal({ "socket.io#/#": 1 });
    expect(await pub.publish("socket.io#/#", "hello")).to.equal(2);
    await new Promise((r) => setTimeout(r, 100));
    expect(heard.sort()).to.deep.equal(["channel hello", "pattern hello"]);
  });

  it("carries a room broadcast from one Socket.IO server to a socket on another, and fetchSockets across both", async () => {
    const ioServer = async () => {
      const pub = await client();
      const sub = await client().then((c) => c.duplicate());
      clients.push(sub);
      await sub.connect();
      const http: HttpServer = createServer();
      const io = new Server(http, { adapter: createAdapter(pub, sub) });
      io.on("connection", (socket) => void socket.join("lab"));
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
      closers.push(() => new Promise((resolve) => io.close(() => resolve(undefined))));
      return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
    };
    const [a, b] = [await ioServer(), await ioServer()];
    const socket: Socket = connect(b.url, { transports: ["websocket"], reconnection: false });
    closers.push(() => void socket.disconnect());
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));

    const got = new Promise((resolve) => socket.once("news", resolve));
    // The adapters subscribe to their Redis channels asynchronously: a broadcast sent before b's
    // subscription is in place is lost (as on any Redis), so send until one arrives.
    const resend = setInterval(() => a.io.to("lab").emit("news", { from: "a" }), 200);
    a.io.to("lab").emit("news", { from: "a" });
    try {
      expect(await got).to.deep.equal({ from: "a" });
    } finally {
      clearInterval(resend);
    }
    expect((await a.io.in("lab").fetchSockets()).map((s) => s.id)).to.deep.equal([socket.id]);
  });
});
