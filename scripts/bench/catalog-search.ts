// Catalog search latency on the embedded database: a fresh FerretDB (or mongod) in a temp dir,
// ~1,200 plausible instruments of 40 providers inserted directly, the real server on port 0, then
// sequential GET /api/instruments?… with a mix of queries against GET /api/health as the baseline,
// and searches right after a write (the change-log catch-up). Run: npx tsx scripts/bench/catalog-search.ts
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { COUNTY_CODES, PROVIDER_KINDS, type Category, type PriceUnit } from "../../shared/enums";
import { loadConfig } from "../../server/config";
import { connectDatabase } from "../../server/db/connection";
import { startEmbeddedDatabase } from "../../server/db/embedded";
import { createLogger } from "../../server/logger";
import { startServer } from "../../server/server";
import type { Actor } from "../../server/modules/accounts/actor";
import { accountsModels } from "../../server/modules/accounts/model";
import { CatalogChangeLog } from "../../server/modules/catalog/changes";
import { catalogModels, searchTextOf, type InstrumentDoc } from "../../server/modules/catalog/model";
import { random, runBench } from "./support";

const INSTRUMENTS = 1200;
const PROVIDERS = 40;
const REQUESTS = 300;
const AFTER_WRITE = 30;

/** [zh, en, category, unit, typical price in yuan] */
const KINDS: [string, string, Category, PriceUnit, number][] = [
  ["原子吸收光谱仪", "Atomic Absorption Spectrometer", "analytical", "sample", 120],
  ["电感耦合等离子体发射光谱仪", "ICP-OES Spectrometer", "analytical", "sample", 200],
  ["电感耦合等离子体质谱仪", "ICP-MS", "analytical", "sample", 400],
  ["傅里叶变换红外光谱仪", "FTIR Spectrometer", "analytical", "sample", 150],
  ["紫外可见分光光度计", "UV-Vis Spectrophotometer", "analytical", "sample", 80],
  ["激光拉曼光谱仪", "Raman Spectrometer", "analytical", "hour", 300],
  ["X射线荧光光谱仪", "X-ray Fluorescence Spectrometer", "analytical", "sample", 180],
  ["X射线衍射仪", "X-ray Diffractometer", "analytical", "sample", 260],
  ["气相色谱仪", "Gas Chromatograph", "analytical", "sample", 150],
  ["高效液相色谱仪", "HPLC", "analytical", "sample", 180],
  ["气相色谱-质谱联用仪", "GC-MS", "analytical", "sample", 450],
  ["液相色谱-质谱联用仪", "LC-MS/MS", "analytical", "sample", 600],
  ["离子色谱仪", "Ion Chromatograph", "analytical", "sample", 160],
  ["扫描电子显微镜", "Scanning Electron Microscope (SEM)", "analytical", "hour", 500],
  ["透射电子显微镜", "Transmission Electron Microscope (TEM)", "analytical", "hour", 1500],
  ["金相显微镜", "Metallographic Microscope", "analytical", "sample", 100],
  ["激光共聚焦显微镜", "Confocal Laser Scanning Microscope", "analytical", "hour", 400],
  ["原子力显微镜", "Atomic Force Microscope", "analytical", "hour", 600],
  ["万能材料试验机", "Universal Testing Machine", "physical_property", "sample", 120],
  ["冲击试验机", "Impact Testing Machine", "physical_property", "sample", 60],
  ["疲劳试验机", "Fatigue Testing Machine", "physical_property", "hour", 300],
  ["洛氏硬度计", "Rockwell Hardness Tester", "physical_property", "sample", 30],
  ["三坐标测量机", "Coordinate Measuring Machine", "metrology", "hour", 400],
  ["圆度仪", "Roundness Tester", "metrology", "sample", 150],
  ["轮廓仪", "Contour Profilometer", "metrology", "sample", 120],
  ["数字示波器", "Digital Oscilloscope", "electronic_measurement", "hour", 80],
  ["频谱分析仪", "Spectrum Analyzer", "electronic_measurement", "hour", 150],
  ["矢量网络分析仪", "Vector Network Analyzer", "electronic_measurement", "hour", 200],
  ["工业CT", "Industrial CT Scanner", "special_testing", "hour", 1200],
  ["超声波探伤仪", "Ultrasonic Flaw Detector", "special_testing", "sample", 90],
  ["盐雾试验箱", "Salt Spray Test Chamber", "process_testing", "hour", 20],
  ["高低温交变湿热试验箱", "Temperature & Humidity Chamber", "process_testing", "hour", 40],
  ["流式细胞仪", "Flow Cytometer", "medical_research", "sample", 200],
  ["实时荧光定量PCR仪", "Real-time PCR System", "medical_research", "sample", 150],
  ["高性能计算集群", "HPC Cluster", "computing", "hour", 50],
];
const MAKERS: [string, string][] = [
  ["岛津", "Shimadzu"], ["赛默飞", "Thermo Fisher"], ["安捷伦", "Agilent"], ["日立", "Hitachi"], ["蔡司", "Zeiss"],
  ["布鲁克", "Bruker"], ["珀金埃尔默", "PerkinElmer"], ["聚光科技", "Focused Photonics"], ["海克斯康", "Hexagon"],
  ["英斯特朗", "Instron"], ["是德科技", "Keysight"], ["罗德与施瓦茨", "Rohde & Schwarz"], ["天美", "Techcomp"],
];
const USES = [
  "适用于轴承钢、有色金属及化工原料的成分检测",
  "可为企业新产品研发、标准起草提供数据支撑",
  "满足 CNAS 认可实验室的检测要求，出具正式报告",
  "配备专职操作人员，支持企业人员现场观摩",
  "支持创新券抵扣，预约后三个工作日内出具结果",
  "广泛用于食品、医药、环境监测和新材料研发",
];
const QUERIES = [
  "q=光谱",
  "q=显微镜",
  "q=SEM",
  "q=spectrometer",
  "category=analytical",
  "category=physical_property&county=linqing",
  "q=光谱&page=2",
  "q=电子 显微镜",
  "sort=price_asc&page=3",
  "q=色谱&providerKind=university",
  "",
  "q=检测&minPriceFen=10000&maxPriceFen=50000&sort=price_desc",
].map((qs) => `/api/instruments?${encodeURI(qs)}`);


function stats(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  const total = ms.reduce((a, b) => a + b, 0);
  return { median: at(0.5), p90: at(0.9), p99: at(0.99), rps: (ms.length / total) * 1000 };
}

function line(label: string, ms: number[]): ReturnType<typeof stats> {
  const s = stats(ms);
  const f = (x: number) => x.toFixed(2).padStart(7);
  console.log(`${label.padEnd(36)} n=${String(ms.length).padEnd(4)} median ${f(s.median)} ms  p90 ${f(s.p90)} ms  p99 ${f(s.p99)} ms  ${s.rps.toFixed(0).padStart(5)} req/s`);
  return s;
}

async function timedGet(url: string): Promise<{ ms: number; body: { total?: number } }> {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = (await res.json()) as { total?: number };
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(body)}`);
  return { ms, body };
}

async function main(): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: "silent" });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "labshare-bench-"));
  const db = await startEmbeddedDatabase({ dataDir: dir, toolsDir: config.toolsDir, log: () => {} });
  const conn = await connectDatabase(db.uri, "bench");
  try {
    const rand = random(20240601);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;

    const providers = Array.from({ length: PROVIDERS }, (_, i) => {
      const kind = PROVIDER_KINDS[i % PROVIDER_KINDS.length]!;
      const name = kind === "university" ? `聊城大学第${i + 1}分析测试中心` : `聊城市第${i + 1}检验检测中心`;
      return { _id: `bench-provider-${i}`, name, nameKey: `bench-${i}`, kind, county: COUNTY_CODES[i % COUNTY_CODES.length]!, status: "approved" as const, version: 2, createdBy: "bench", createdAt: new Date() };
    });
    await accountsModels(conn).providers.insertMany(providers);

    const start = Date.now() - INSTRUMENTS * 60_000;
    const instruments: InstrumentDoc[] = Array.from({ length: INSTRUMENTS }, (_, i) => {
      const [zh, en, category, priceUnit, yuan] = pick(KINDS);
      const [makerZh, makerEn] = pick(MAKERS);
      const provider = pick(providers);
      const model = `${makerEn.slice(0, 2).toUpperCase()}-${1000 + Math.floor(rand() * 9000)}`;
      const description = `${makerZh}${zh}，型号 ${model}。${pick(USES)}；${pick(USES)}。`;
      const at = new Date(start + i * 60_000);
      return {
        _id: `bench-${String(i).padStart(5, "0")}`,
        providerId: provider._id,
        providerName: provider.name,
        providerKind: provider.kind,
        county: provider.county,
        name: zh,
        nameEn: en,
        model,
        manufacturer: `${makerZh} ${makerEn}`,
        category,
        description,
        location: `${provider.name} ${1 + Math.floor(rand() * 5)}号楼`,
        priceFen: Math.round(yuan * (0.6 + rand() * 0.8)) * 100,
        priceUnit,
        timezone: "Asia/Shanghai",
        openHours: [1, 2, 3, 4, 5].flatMap((weekday) => [
          { weekday, start: "08:30", end: "12:00" },
          { weekday, start: "13:30", end: "17:30" },
        ]),
        slotMinutes: 30,
        capacity: 1,
        status: rand() < 0.05 ? "retired" : rand() < 0.05 ? "maintenance" : "active",
        originalValueFen: Math.round(yuan * 10_000 * (1 + rand())) * 100,
        searchText: searchTextOf([zh, en, model, makerZh, makerEn, description]),
        createdAt: at,
        updatedAt: at,
      };
    });
    await catalogModels(conn).instruments.insertMany(instruments);
    // Written around the services: tell every server's search index to reload.
    await new CatalogChangeLog(conn).append({ kind: "all" });

    const server = await startServer({ config, conn, logger: createLogger("silent") }, 0);
    try {
      console.log(`catalog search benchmark: ${INSTRUMENTS} instruments, ${PROVIDERS} providers, embedded ${db.kind}, Node ${process.version}, ${os.cpus().length} CPUs`);
      const first = await timedGet(`${server.url}/api/instruments?q=${encodeURIComponent("光谱")}`);
      console.log(`first search after start (loads the index): ${first.ms.toFixed(1)} ms, 光谱 → ${first.body.total} instruments`);

      for (let i = 0; i < 20; i++) {
        await timedGet(`${server.url}/api/health`);
        await timedGet(server.url + QUERIES[i % QUERIES.length]);
      }
      const health: number[] = [];
      for (let i = 0; i < REQUESTS; i++) health.push((await timedGet(`${server.url}/api/health`)).ms);
      const search: number[] = [];
      for (let i = 0; i < REQUESTS; i++) search.push((await timedGet(server.url + QUERIES[i % QUERIES.length])).ms);

      // A write (through the service, as an HTTP PATCH would) and then a search that must see it.
      const bureau: Actor = { userId: "bench", email: "bench@bench.test", name: "bench", membership: { orgType: "bureau", orgId: "bureau", role: "bureau_admin" } };
      const afterWrite: number[] = [];
      for (let i = 0; i < AFTER_WRITE; i++) {
        const id = instruments[i * 7]!._id;
        await server.services.instruments.update(bureau, id, { priceFen: 10_001 + i });
        const { ms, body } = await timedGet(`${server.url}/api/instruments?q=${encodeURIComponent("光谱")}&minPriceFen=${10_001 + i}&maxPriceFen=${10_001 + i}&status=${instruments[i * 7]!.status}`);
        if (instruments[i * 7]!.searchText.includes("光谱") && body.total !== 1) throw new Error("a search missed the write before it");
        afterWrite.push(ms);
      }

      console.log("");
      const h = line("GET /api/health (baseline)", health);
      const s = line("GET /api/instruments?… (12-query mix)", search);
      line("search right after a write", afterWrite);
      console.log("");
      console.log(`search / health: median ${(s.median / h.median).toFixed(2)}×, p90 ${(s.p90 / h.p90).toFixed(2)}×`);
      console.log(`target: search median well under 50 ms → ${s.median < 50 ? "met" : "NOT met"} (${s.median.toFixed(2)} ms)`);
    } finally {
      await server.close();
    }
  } finally {
    await conn.close();
    await db.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

runBench(main);
