// Instrument vocabulary of the demo city: what a Chinese large-instrument sharing platform lists
// (大型科研仪器, original value mostly ≥ 500,000 yuan), with real manufacturers and model lines.
// Prices are yuan per hour or per sample, values are 10,000 yuan (万元); seed.ts turns them into fen.
import type { Category, PriceUnit } from "../../shared/enums";

/** What a provider specializes in; an instrument template serves one or more of these. */
export type Focus =
  | "bearing"
  | "metal"
  | "pipe"
  | "auto"
  | "cable"
  | "chem"
  | "food"
  | "agri"
  | "pharma"
  | "electronic"
  | "textile"
  | "material"
  | "metrology"
  | "ndt"
  | "env"
  | "bio"
  | "reliability"
  | "equipment";

export interface InstrumentTemplate {
  key: string;
  category: Category;
  zh: string;
  en: string;
  unit: PriceUnit;
  /** Service price range, yuan per unit. */
  price: [number, number];
  /** Original value range, 万元 (10,000 yuan). */
  value: [number, number];
  /** Relative frequency before a provider's focus is applied. */
  weight: number;
  tags: Focus[];
  /** What it is used for (description text). */
  use: string;
  /** Manufacturer (Chinese and Latin name, as Chinese platforms list them) → model lines. */
  makers: Record<string, string[]>;
  /** A test that runs for days (life tests, salt spray): often open around the clock. */
  longRunning?: boolean;
  /** Serves several users at once (compute nodes, chamber places). */
  capacity?: [number, number];
}

const AGILENT = "安捷伦 Agilent";
const THERMO = "赛默飞 Thermo Fisher";
const SHIMADZU = "岛津 Shimadzu";
const PERKIN = "珀金埃尔默 PerkinElmer";
const BRUKER = "布鲁克 Bruker";
const ZEISS = "蔡司 Zeiss";
const HITACHI = "日立 Hitachi";
const JEOL = "日本电子 JEOL";
const MITUTOYO = "三丰 Mitutoyo";
const HEXAGON = "海克斯康 Hexagon";
const KEYSIGHT = "是德科技 Keysight";
const RS = "罗德与施瓦茨 R&S";
const NCS = "钢研纳克 NCS";
const FPI = "聚光科技 FPI";
const SKYRAY = "天瑞仪器 Skyray";
const ZYS = "洛阳轴研科技 ZYS";
const HBRC = "杭州轴承试验研究中心 HBRC";

export const INSTRUMENT_TEMPLATES: InstrumentTemplate[] = [
  // 分析仪器 — analytical
  {
    key: "aas", category: "analytical", zh: "原子吸收光谱仪", en: "Atomic absorption spectrometer (AAS)",
    unit: "sample", price: [80, 200], value: [35, 90], weight: 3, tags: ["metal", "chem", "food", "env", "agri"],
    use: "金属元素（铅、镉、铜、锌等）含量测定",
    makers: { [AGILENT]: ["240FS AA", "280Z AA"], [THERMO]: ["iCE 3500"], [SHIMADZU]: ["AA-7000"], [PERKIN]: ["PinAAcle 900T"] },
  },
  {
    key: "icp_oes", category: "analytical", zh: "电感耦合等离子体发射光谱仪", en: "ICP optical emission spectrometer (ICP-OES)",
    unit: "sample", price: [150, 300], value: [60, 150], weight: 4, tags: ["metal", "chem", "env", "material", "food"],
    use: "多元素同时定量分析，适用于金属材料、化工产品和环境样品",
    makers: { [AGILENT]: ["5110 ICP-OES", "5800 ICP-OES"], [THERMO]: ["iCAP PRO XP"], [PERKIN]: ["Avio 550 Max"], [SHIMADZU]: ["ICPE-9820"], [NCS]: ["Plasma 3000"], [FPI]: ["ICP-5000"] },
  },
  {
    key: "icp_ms", category: "analytical", zh: "电感耦合等离子体质谱仪", en: "ICP mass spectrometer (ICP-MS)",
    unit: "sample", price: [300, 600], value: [150, 350], weight: 3, tags: ["chem", "food", "env", "pharma", "agri"],
    use: "痕量及超痕量元素分析，重金属检测",
    makers: { [AGILENT]: ["7900 ICP-MS", "8900 ICP-QQQ"], [THERMO]: ["iCAP RQ", "iCAP TQ"], [PERKIN]: ["NexION 2000"], [FPI]: ["SUPEC 7000"] },
  },
  {
    key: "ftir", category: "analytical", zh: "傅里叶变换红外光谱仪", en: "FTIR spectrometer",
    unit: "sample", price: [60, 150], value: [40, 120], weight: 3, tags: ["chem", "material", "pharma", "textile", "cable"],
    use: "有机物、高分子材料官能团结构鉴定与成分剖析",
    makers: { [THERMO]: ["Nicolet iS50", "Nicolet iS20"], [BRUKER]: ["INVENIO R", "VERTEX 70v"], [PERKIN]: ["Spectrum 3"], [SHIMADZU]: ["IRTracer-100"] },
  },
  {
    key: "xrf", category: "analytical", zh: "X射线荧光光谱仪", en: "X-ray fluorescence spectrometer (XRF)",
    unit: "sample", price: [100, 250], value: [60, 250], weight: 3, tags: ["metal", "material", "chem", "electronic"],
    use: "固体、粉末样品主次量元素快速无损分析，RoHS 有害物质筛查",
    makers: { [THERMO]: ["ARL PERFORM'X"], [BRUKER]: ["S8 TIGER"], ["理学 Rigaku"]: ["ZSX Primus IV"], [SHIMADZU]: ["XRF-1800"], [SKYRAY]: ["EDX 3600H", "EDX 8800"] },
  },
  {
    key: "raman", category: "analytical", zh: "激光显微拉曼光谱仪", en: "Confocal Raman microscope",
    unit: "sample", price: [150, 400], value: [80, 200], weight: 2, tags: ["material", "chem", "pharma"],
    use: "材料分子结构、晶型与应力分析，碳材料表征",
    makers: { ["堀场 Horiba"]: ["LabRAM HR Evolution"], ["雷尼绍 Renishaw"]: ["inVia Qontor"], [THERMO]: ["DXR3xi"], ["WITec"]: ["alpha300 R"] },
  },
  {
    key: "uvvis", category: "analytical", zh: "紫外可见近红外分光光度计", en: "UV-Vis-NIR spectrophotometer",
    unit: "sample", price: [50, 120], value: [45, 90], weight: 2, tags: ["chem", "material"],
    use: "透过率、反射率和吸光度测量，光学薄膜与材料带隙分析",
    makers: { [PERKIN]: ["Lambda 1050+"], [SHIMADZU]: ["UV-3600i Plus"], [AGILENT]: ["Cary 7000"] },
  },
  {
    key: "oes_spark", category: "analytical", zh: "火花直读光谱仪", en: "Spark optical emission spectrometer",
    unit: "sample", price: [80, 150], value: [55, 150], weight: 3, tags: ["metal", "bearing", "pipe", "auto"],
    use: "钢铁、铝、铜合金化学成分快速分析，轴承钢牌号鉴定",
    makers: { [NCS]: ["LabSpark 750"], ["斯派克 SPECTRO"]: ["SPECTROMAXx"], [THERMO]: ["ARL iSpark 8860"], [SHIMADZU]: ["PDA-MF"], [FPI]: ["M5000"] },
  },
  {
    key: "cs", category: "analytical", zh: "高频红外碳硫分析仪", en: "Carbon/sulfur analyzer",
    unit: "sample", price: [40, 80], value: [30, 60], weight: 1.5, tags: ["metal", "bearing", "pipe"],
    use: "钢铁及有色金属中碳、硫含量测定",
    makers: { ["力可 LECO"]: ["CS844"], [NCS]: ["CS-3000G"], ["埃尔特 ELTRA"]: ["CS-i"] },
  },
  {
    key: "onh", category: "analytical", zh: "氧氮氢分析仪", en: "Oxygen/nitrogen/hydrogen analyzer",
    unit: "sample", price: [80, 150], value: [60, 120], weight: 1.5, tags: ["metal", "bearing"],
    use: "金属材料中氧、氮、氢含量测定，轴承钢洁净度评价",
    makers: { ["力可 LECO"]: ["ONH836"], [NCS]: ["ONH-3000"], ["埃尔特 ELTRA"]: ["ELEMENTRAC ONH-p2"] },
  },
  {
    key: "gcms", category: "analytical", zh: "气相色谱-质谱联用仪", en: "Gas chromatograph–mass spectrometer (GC-MS)",
    unit: "sample", price: [300, 600], value: [80, 200], weight: 4, tags: ["chem", "food", "env", "agri", "pharma", "textile"],
    use: "挥发性有机物、农药残留及未知物定性定量分析",
    makers: { [AGILENT]: ["8890-5977C"], [THERMO]: ["ISQ 7610"], [SHIMADZU]: ["GCMS-QP2020 NX", "GCMS-TQ8050 NX"] },
  },
  {
    key: "lcms", category: "analytical", zh: "液相色谱-串联质谱联用仪", en: "LC-MS/MS (triple quadrupole)",
    unit: "sample", price: [400, 800], value: [200, 450], weight: 3, tags: ["food", "pharma", "agri", "bio"],
    use: "兽药、农药残留，非法添加物及药物代谢物定量分析",
    makers: { ["爱博才思 SCIEX"]: ["Triple Quad 6500+", "QTRAP 5500"], ["沃特世 Waters"]: ["Xevo TQ-XS"], [AGILENT]: ["6470B"], [THERMO]: ["TSQ Altis"] },
  },
  {
    key: "hrms", category: "analytical", zh: "高分辨液质联用仪", en: "High-resolution LC-MS (Orbitrap)",
    unit: "sample", price: [600, 1200], value: [400, 700], weight: 1, tags: ["pharma", "bio", "food"],
    use: "未知物筛查、代谢组学与药物杂质结构鉴定",
    makers: { [THERMO]: ["Orbitrap Exploris 240", "Q Exactive Plus"], ["沃特世 Waters"]: ["Xevo G3 QTof"] },
  },
  {
    key: "hplc", category: "analytical", zh: "高效液相色谱仪", en: "High-performance liquid chromatograph (HPLC)",
    unit: "sample", price: [100, 250], value: [40, 80], weight: 4, tags: ["pharma", "food", "agri", "chem"],
    use: "药品含量测定、有关物质检查及食品添加剂检测",
    makers: { [AGILENT]: ["1260 Infinity II"], ["沃特世 Waters"]: ["ACQUITY Arc"], [SHIMADZU]: ["LC-2050C 3D"], [THERMO]: ["Vanquish Core"] },
  },
  {
    key: "gc", category: "analytical", zh: "气相色谱仪", en: "Gas chromatograph (GC)",
    unit: "sample", price: [100, 200], value: [35, 70], weight: 2, tags: ["chem", "food", "agri", "env"],
    use: "溶剂残留、脂肪酸组成及气体成分分析",
    makers: { [AGILENT]: ["8890 GC"], [SHIMADZU]: ["GC-2030"], [THERMO]: ["TRACE 1610"] },
  },
  {
    key: "ic", category: "analytical", zh: "离子色谱仪", en: "Ion chromatograph",
    unit: "sample", price: [100, 200], value: [40, 70], weight: 2, tags: ["env", "food", "chem"],
    use: "水质阴阳离子及食品中硝酸盐、亚硝酸盐测定",
    makers: { [THERMO]: ["Dionex ICS-6000"], ["万通 Metrohm"]: ["940 Professional IC Vario"] },
  },
  {
    key: "amino", category: "analytical", zh: "全自动氨基酸分析仪", en: "Automatic amino acid analyzer",
    unit: "sample", price: [150, 300], value: [60, 120], weight: 1, tags: ["food", "agri", "pharma"],
    use: "蛋白质水解氨基酸及游离氨基酸分析，阿胶等胶类产品质量评价",
    makers: { [HITACHI]: ["LA8080"], ["赛卡姆 Sykam"]: ["S433D"] },
  },
  {
    key: "nmr", category: "analytical", zh: "核磁共振波谱仪", en: "NMR spectrometer",
    unit: "sample", price: [200, 500], value: [300, 600], weight: 1, tags: ["chem", "pharma"],
    use: "有机化合物结构解析与纯度测定",
    makers: { [BRUKER]: ["AVANCE NEO 400 MHz", "AVANCE III HD 600 MHz"], [JEOL]: ["JNM-ECZ400S"] },
  },
  {
    key: "sem", category: "analytical", zh: "场发射扫描电子显微镜", en: "Field-emission scanning electron microscope (FE-SEM)",
    unit: "hour", price: [400, 800], value: [200, 500], weight: 3, tags: ["material", "metal", "bearing"],
    use: "材料微观形貌观察、断口分析，配能谱（EDS）做微区成分分析",
    makers: { [ZEISS]: ["GeminiSEM 500", "Sigma 300"], [HITACHI]: ["SU8020", "Regulus 8100"], [THERMO]: ["Apreo 2"], [JEOL]: ["JSM-IT800"] },
  },
  {
    key: "sem_w", category: "analytical", zh: "钨灯丝扫描电子显微镜", en: "Tungsten-filament scanning electron microscope (SEM)",
    unit: "hour", price: [300, 500], value: [80, 150], weight: 2, tags: ["material", "metal", "bearing", "auto"],
    use: "零件失效断口、夹杂物及镀层形貌观察与能谱分析",
    makers: { [HITACHI]: ["SU3800"], [ZEISS]: ["EVO 18"], ["国仪量子 CIQTEK"]: ["SEM3200"], [JEOL]: ["JSM-IT200"] },
  },
  {
    key: "tem", category: "analytical", zh: "透射电子显微镜", en: "Transmission electron microscope (TEM)",
    unit: "hour", price: [800, 1500], value: [600, 1500], weight: 0.5, tags: ["material"],
    use: "纳米材料形貌、晶体结构与缺陷的高分辨观察",
    makers: { [THERMO]: ["Talos F200X"], [JEOL]: ["JEM-F200"], [HITACHI]: ["HT7800"] },
  },
  {
    key: "xrd", category: "analytical", zh: "X射线衍射仪", en: "X-ray diffractometer (XRD)",
    unit: "sample", price: [150, 300], value: [100, 300], weight: 3, tags: ["material", "metal", "chem", "bearing"],
    use: "物相定性定量分析、残余奥氏体含量测定与晶粒尺寸计算",
    makers: { [BRUKER]: ["D8 ADVANCE"], ["理学 Rigaku"]: ["SmartLab"], ["马尔文帕纳科 Malvern Panalytical"]: ["Empyrean"], [SHIMADZU]: ["XRD-7000"], ["丹东浩元"]: ["DX-2700B"] },
  },
  {
    key: "xps", category: "analytical", zh: "X射线光电子能谱仪", en: "X-ray photoelectron spectrometer (XPS)",
    unit: "sample", price: [400, 800], value: [400, 700], weight: 0.5, tags: ["material"],
    use: "材料表面元素组成与化学态分析",
    makers: { [THERMO]: ["ESCALAB Xi+"], ["岛津-Kratos"]: ["AXIS SUPRA+"], ["ULVAC-PHI"]: ["PHI 5000 VersaProbe III"] },
  },
  {
    key: "afm", category: "analytical", zh: "原子力显微镜", en: "Atomic force microscope (AFM)",
    unit: "hour", price: [300, 600], value: [100, 300], weight: 0.7, tags: ["material"],
    use: "表面纳米级形貌与粗糙度、力学性能成像",
    makers: { [BRUKER]: ["Dimension Icon", "MultiMode 8-HR"], ["帕克 Park Systems"]: ["NX10"], ["牛津仪器 Oxford Instruments"]: ["Asylum Cypher ES"] },
  },
  {
    key: "metallographic", category: "analytical", zh: "金相显微镜及图像分析系统", en: "Metallographic microscope with image analysis",
    unit: "sample", price: [50, 120], value: [40, 100], weight: 3, tags: ["metal", "bearing", "pipe", "auto"],
    use: "金相组织评级、非金属夹杂物评定、脱碳层和晶粒度测定",
    makers: { [ZEISS]: ["Axio Imager.M2m", "Axio Observer 7"], ["奥林巴斯 Olympus"]: ["GX53"], ["徕卡 Leica"]: ["DM6 M"], ["尼康 Nikon"]: ["ECLIPSE MA200"] },
  },
  {
    key: "laser_microscope", category: "analytical", zh: "3D激光扫描显微镜", en: "3D laser scanning microscope",
    unit: "hour", price: [200, 400], value: [80, 160], weight: 1.5, tags: ["material", "bearing", "electronic"],
    use: "表面三维形貌、磨损轮廓与微米级台阶高度测量",
    makers: { ["奥林巴斯 Olympus"]: ["OLS5100"], ["基恩士 Keyence"]: ["VK-X3000"] },
  },
  // 物理性能测试仪器 — physical property testing
  {
    key: "utm", category: "physical_property", zh: "电子万能材料试验机", en: "Universal testing machine",
    unit: "sample", price: [80, 200], value: [40, 150], weight: 6, tags: ["metal", "material", "auto", "pipe", "bearing", "cable", "textile"],
    use: "拉伸、压缩、弯曲、剥离等力学性能测试",
    makers: { ["英斯特朗 Instron"]: ["5985", "68TM-50"], ["兹韦克 ZwickRoell"]: ["Z100", "Z250"], ["美特斯 MTS"]: ["Criterion C45.305"], [SHIMADZU]: ["AGX-V 100kN"], ["三思纵横"]: ["UTM5305"] },
  },
  {
    key: "fatigue", category: "physical_property", zh: "电液伺服疲劳试验机", en: "Servo-hydraulic fatigue testing system",
    unit: "hour", price: [200, 400], value: [150, 400], weight: 3, tags: ["metal", "auto", "bearing", "material", "equipment"],
    use: "金属材料及零部件高低周疲劳、断裂韧性试验",
    makers: { ["美特斯 MTS"]: ["Landmark 370.25"], ["英斯特朗 Instron"]: ["8801"], [SHIMADZU]: ["EHF-UV200k"] },
    longRunning: true,
  },
  {
    key: "impact", category: "physical_property", zh: "摆锤冲击试验机", en: "Pendulum impact tester",
    unit: "sample", price: [30, 80], value: [25, 80], weight: 2, tags: ["metal", "pipe", "auto"],
    use: "金属材料夏比冲击试验（含低温冲击）",
    makers: { ["英斯特朗 Instron"]: ["MPX 750"], ["兹韦克 ZwickRoell"]: ["HIT450P"], ["济南时代试金"]: ["JBW-500"] },
  },
  {
    key: "hardness_v", category: "physical_property", zh: "全自动显微维氏硬度计", en: "Automatic micro-Vickers hardness tester",
    unit: "sample", price: [60, 120], value: [40, 80], weight: 3, tags: ["metal", "bearing", "auto", "pipe"],
    use: "渗碳淬硬层深度、表面硬度及硬度梯度测定",
    makers: { ["司特尔 Struers"]: ["DuraScan 70 G5"], ["标乐 Buehler"]: ["Wilson VH3300"], [SHIMADZU]: ["HMV-G31"] },
  },
  {
    key: "hardness_r", category: "physical_property", zh: "全自动洛氏硬度计", en: "Automatic Rockwell hardness tester",
    unit: "sample", price: [30, 60], value: [15, 40], weight: 2, tags: ["metal", "bearing", "auto"],
    use: "轴承零件、齿轮等热处理后洛氏硬度测定",
    makers: { ["标乐 Buehler"]: ["Wilson RH2150"], ["莱州华银"]: ["HRS-150"], [MITUTOYO]: ["HR-530"] },
  },
  {
    key: "dsc", category: "physical_property", zh: "差示扫描量热仪", en: "Differential scanning calorimeter (DSC)",
    unit: "sample", price: [100, 200], value: [45, 90], weight: 3, tags: ["material", "chem", "pharma", "cable"],
    use: "熔点、玻璃化转变、结晶度与氧化诱导期测定",
    makers: { ["TA仪器 TA Instruments"]: ["DSC 2500"], ["耐驰 NETZSCH"]: ["DSC 214 Polyma"], ["梅特勒-托利多 Mettler Toledo"]: ["DSC 3+"] },
  },
  {
    key: "tga", category: "physical_property", zh: "同步热分析仪", en: "Simultaneous thermal analyzer (TGA/DSC)",
    unit: "sample", price: [100, 200], value: [50, 100], weight: 3, tags: ["material", "chem", "cable"],
    use: "热稳定性、分解温度与组分含量分析",
    makers: { ["耐驰 NETZSCH"]: ["STA 449 F5"], ["TA仪器 TA Instruments"]: ["Discovery SDT 650"], ["梅特勒-托利多 Mettler Toledo"]: ["TGA/DSC 3+"] },
  },
  {
    key: "dma", category: "physical_property", zh: "动态热机械分析仪", en: "Dynamic mechanical analyzer (DMA)",
    unit: "sample", price: [150, 300], value: [60, 120], weight: 1, tags: ["material"],
    use: "高分子与复合材料黏弹性、模量随温度变化测定",
    makers: { ["TA仪器 TA Instruments"]: ["DMA 850"], ["耐驰 NETZSCH"]: ["DMA 242 E Artemis"] },
  },
  {
    key: "rheometer", category: "physical_property", zh: "旋转流变仪", en: "Rotational rheometer",
    unit: "sample", price: [150, 300], value: [60, 120], weight: 1.5, tags: ["chem", "material", "food"],
    use: "流体、胶体与熔体流变性能测定",
    makers: { ["安东帕 Anton Paar"]: ["MCR 302e"], ["TA仪器 TA Instruments"]: ["DHR-2"], ["马尔文帕纳科 Malvern Panalytical"]: ["Kinexus Pro+"] },
  },
  {
    key: "particle_size", category: "physical_property", zh: "激光粒度分析仪", en: "Laser diffraction particle size analyzer",
    unit: "sample", price: [60, 150], value: [45, 80], weight: 2, tags: ["material", "chem", "pharma"],
    use: "粉体、乳液颗粒粒径分布测定",
    makers: { ["马尔文帕纳科 Malvern Panalytical"]: ["Mastersizer 3000"], ["堀场 Horiba"]: ["LA-960V2"], ["丹东百特 Bettersize"]: ["Bettersize 2600"] },
  },
  {
    key: "bet", category: "physical_property", zh: "比表面积及孔径分析仪", en: "Surface area and porosity analyzer (BET)",
    unit: "sample", price: [200, 400], value: [50, 90], weight: 1.5, tags: ["material", "chem"],
    use: "粉体、催化剂比表面积与孔径分布测定",
    makers: { ["麦克默瑞提克 Micromeritics"]: ["ASAP 2460"], ["康塔 Quantachrome"]: ["Autosorb iQ"], ["贝士德"]: ["3H-2000PM2"] },
  },
  {
    key: "tribometer", category: "physical_property", zh: "多功能摩擦磨损试验机", en: "Tribometer",
    unit: "hour", price: [150, 300], value: [60, 150], weight: 2, tags: ["bearing", "material", "auto"],
    use: "材料与润滑剂摩擦系数、磨损率测定",
    makers: { [BRUKER]: ["UMT TriboLab"], ["安东帕 Anton Paar"]: ["TRB3"], ["兰州中科凯华"]: ["HT-1000"] },
  },
  {
    key: "lfa", category: "physical_property", zh: "激光导热仪", en: "Laser flash thermal conductivity analyzer",
    unit: "sample", price: [200, 400], value: [80, 150], weight: 1, tags: ["material"],
    use: "材料热扩散系数与导热系数测定",
    makers: { ["耐驰 NETZSCH"]: ["LFA 467 HyperFlash"], ["TA仪器 TA Instruments"]: ["DXF-500"] },
  },
  {
    key: "creep", category: "physical_property", zh: "高温蠕变持久试验机", en: "High-temperature creep and rupture tester",
    unit: "hour", price: [50, 120], value: [50, 100], weight: 1, tags: ["metal", "pipe"],
    use: "高温合金、锅炉管材蠕变与持久强度试验",
    makers: { ["兹韦克 ZwickRoell"]: ["Kappa 50 DS"], ["长春机械科学研究院"]: ["RDL-100"] },
    longRunning: true,
  },
  {
    key: "bearing_life", category: "physical_property", zh: "轴承疲劳寿命强化试验机", en: "Bearing fatigue life test rig",
    unit: "hour", price: [80, 200], value: [50, 200], weight: 2, tags: ["bearing"],
    use: "滚动轴承额定寿命与可靠性强化试验（依据 JB/T 50013、GB/T 24607）",
    makers: { [HBRC]: ["ABLT-1A", "ABLT-6"], [ZYS]: ["B10-60", "ZYS-B50"] },
    longRunning: true,
  },
  {
    key: "bearing_torque", category: "physical_property", zh: "轴承摩擦力矩测量仪", en: "Bearing friction torque tester",
    unit: "sample", price: [50, 100], value: [45, 100], weight: 1.5, tags: ["bearing"],
    use: "轴承启动与旋转摩擦力矩测定",
    makers: { [ZYS]: ["MCL-2"], [HBRC]: ["B8-2"] },
  },
  // 计量仪器 — metrology
  {
    key: "cmm", category: "metrology", zh: "三坐标测量机", en: "Coordinate measuring machine (CMM)",
    unit: "hour", price: [200, 500], value: [80, 300], weight: 5, tags: ["bearing", "auto", "metrology", "equipment"],
    use: "复杂零件尺寸、形状与位置公差精密测量",
    makers: { [HEXAGON]: ["GLOBAL S 9.15.8", "Leitz PMM-C"], [ZEISS]: ["CONTURA", "ACCURA", "PRISMO"], [MITUTOYO]: ["CRYSTA-Apex V 9106"], ["温泽 Wenzel"]: ["LH 87"] },
  },
  {
    key: "roundness", category: "metrology", zh: "圆度圆柱度测量仪", en: "Roundness and cylindricity tester",
    unit: "hour", price: [150, 300], value: [80, 200], weight: 3, tags: ["bearing", "metrology", "auto"],
    use: "轴承套圈、滚子圆度、圆柱度及波纹度测量",
    makers: { ["泰勒霍普森 Taylor Hobson"]: ["Talyrond 565H", "Talyrond 585LT"], [MITUTOYO]: ["RA-H5200"], ["马尔 Mahr"]: ["MarForm MMQ 400"] },
  },
  {
    key: "roughness", category: "metrology", zh: "表面粗糙度轮廓仪", en: "Surface roughness and contour measuring system",
    unit: "hour", price: [100, 250], value: [50, 150], weight: 3, tags: ["bearing", "metrology", "auto"],
    use: "表面粗糙度、轮廓与沟道曲率半径测量",
    makers: { ["泰勒霍普森 Taylor Hobson"]: ["Form Talysurf PGI NOVUS"], ["马尔 Mahr"]: ["MarSurf XCR 20"], [MITUTOYO]: ["SV-C4500"], ["业纳 Jenoptik"]: ["Hommel T8000"] },
  },
  {
    key: "bearing_vibration", category: "metrology", zh: "轴承振动测量仪", en: "Bearing vibration measuring instrument",
    unit: "sample", price: [30, 80], value: [30, 80], weight: 2, tags: ["bearing"],
    use: "滚动轴承振动（速度、加速度）及异音测量（依据 GB/T 32333、JB/T 5313）",
    makers: { [HBRC]: ["BVT-1A", "S0910-2"], [ZYS]: ["BVT-5"] },
  },
  {
    key: "bearing_clearance", category: "metrology", zh: "轴承游隙测量仪", en: "Bearing clearance measuring instrument",
    unit: "sample", price: [20, 50], value: [20, 50], weight: 1, tags: ["bearing"],
    use: "滚动轴承径向、轴向游隙测量",
    makers: { [HBRC]: ["X092"], [ZYS]: ["JYS-3"] },
  },
  {
    key: "laser_interferometer", category: "metrology", zh: "激光干涉仪", en: "Laser interferometer",
    unit: "hour", price: [200, 400], value: [50, 120], weight: 1.5, tags: ["metrology", "equipment"],
    use: "数控机床定位精度、直线度检定与校准",
    makers: { ["雷尼绍 Renishaw"]: ["XL-80", "XM-60"], [KEYSIGHT]: ["5530"] },
  },
  {
    key: "laser_tracker", category: "metrology", zh: "激光跟踪仪", en: "Laser tracker",
    unit: "hour", price: [300, 500], value: [100, 200], weight: 1, tags: ["metrology", "equipment"],
    use: "大尺寸工件与装配体三维坐标测量",
    makers: { ["徕卡 Leica"]: ["Absolute Tracker AT960"], ["法如 FARO"]: ["Vantage E6"] },
  },
  {
    key: "gauge_comparator", category: "metrology", zh: "量块比较仪", en: "Gauge block comparator",
    unit: "hour", price: [100, 200], value: [50, 80], weight: 1, tags: ["metrology"],
    use: "量块长度比较测量与检定",
    makers: { ["马尔 Mahr"]: ["826 PC"], ["TESA"]: ["UPC"] },
  },
  {
    key: "length_machine", category: "metrology", zh: "万能测长机", en: "Universal length measuring machine",
    unit: "hour", price: [150, 250], value: [80, 150], weight: 1, tags: ["metrology", "bearing"],
    use: "环规、塞规、螺纹规等量具校准",
    makers: { ["马尔 Mahr"]: ["Precimar ULM 600"], ["中原量仪"]: ["JD25-C"] },
  },
  {
    key: "gear_center", category: "metrology", zh: "齿轮测量中心", en: "Gear measuring center",
    unit: "hour", price: [200, 400], value: [150, 300], weight: 1, tags: ["auto", "equipment", "metrology"],
    use: "齿轮齿形、齿向、齿距误差测量",
    makers: { ["克林贝格 Klingelnberg"]: ["P26"], ["格里森 Gleason"]: ["GMS 450"], ["哈量"]: ["3908A"] },
  },
  {
    key: "vision_measure", category: "metrology", zh: "影像测量仪", en: "Vision measuring machine",
    unit: "hour", price: [100, 200], value: [50, 100], weight: 2, tags: ["bearing", "electronic", "metrology"],
    use: "精密小零件二维尺寸非接触测量",
    makers: { [MITUTOYO]: ["QV Apex 404"], [HEXAGON]: ["Optiv Performance 443"], ["天准科技"]: ["VMQ322"] },
  },
  {
    key: "force_standard", category: "metrology", zh: "静重式力标准机", en: "Deadweight force standard machine",
    unit: "hour", price: [150, 300], value: [100, 300], weight: 1, tags: ["metrology"],
    use: "力传感器、测力仪检定与校准",
    makers: { ["中航电测"]: ["ZHJ-100kN"], ["GTM"]: ["KNM 100 kN"] },
  },
  {
    key: "pressure_standard", category: "metrology", zh: "活塞式压力计", en: "Piston pressure gauge",
    unit: "hour", price: [100, 200], value: [50, 100], weight: 1, tags: ["metrology"],
    use: "压力表、压力变送器检定与校准",
    makers: { ["福禄克 Fluke"]: ["PG7302"], ["西安一诺"]: ["YS-600"] },
  },
  {
    key: "temperature_standard", category: "metrology", zh: "温度校准系统", en: "Temperature calibration system",
    unit: "hour", price: [100, 200], value: [50, 80], weight: 1, tags: ["metrology"],
    use: "热电偶、热电阻及温度计检定与校准",
    makers: { ["福禄克 Fluke"]: ["1595A + 7341"], ["康斯特 ConST"]: ["ConST660"] },
  },
  {
    key: "electrical_calibrator", category: "metrology", zh: "多功能校准源", en: "Multi-product calibrator",
    unit: "hour", price: [150, 300], value: [50, 100], weight: 1, tags: ["metrology", "electronic"],
    use: "数字多用表、电流表、示波器等电学仪表校准",
    makers: { ["福禄克 Fluke"]: ["5730A", "5522A"], [KEYSIGHT]: ["3458A"] },
  },
  {
    key: "flow_standard", category: "metrology", zh: "液体流量标准装置", en: "Liquid flow standard facility",
    unit: "hour", price: [200, 400], value: [100, 300], weight: 1, tags: ["metrology"],
    use: "流量计、水表检定与校准（静态质量法）",
    makers: { ["开封仪表"]: ["DN15-DN300"], ["天津迅尔"]: ["LSB-300"] },
  },
  // 电子测量仪器 — electronic measurement
  {
    key: "oscilloscope", category: "electronic_measurement", zh: "高带宽数字示波器", en: "High-bandwidth digital oscilloscope",
    unit: "hour", price: [100, 300], value: [50, 150], weight: 4, tags: ["electronic"],
    use: "高速信号完整性与电源纹波测试",
    makers: { [KEYSIGHT]: ["MSOS804A"], ["泰克 Tektronix"]: ["MSO68B"], [RS]: ["RTP164"], ["普源精电 RIGOL"]: ["DS70000"] },
  },
  {
    key: "spectrum_analyzer", category: "electronic_measurement", zh: "信号与频谱分析仪", en: "Signal and spectrum analyzer",
    unit: "hour", price: [150, 300], value: [80, 200], weight: 4, tags: ["electronic"],
    use: "射频信号频谱、杂散与相位噪声测量",
    makers: { [KEYSIGHT]: ["N9030B PXA"], [RS]: ["FSW26"], ["中电科思仪"]: ["4051G"] },
  },
  {
    key: "vna", category: "electronic_measurement", zh: "矢量网络分析仪", en: "Vector network analyzer",
    unit: "hour", price: [150, 300], value: [80, 250], weight: 3, tags: ["electronic"],
    use: "射频器件 S 参数、天线与线缆特性测量",
    makers: { [KEYSIGHT]: ["N5227B PNA"], [RS]: ["ZNA43"], ["中电科思仪"]: ["3672C"] },
  },
  {
    key: "emc", category: "electronic_measurement", zh: "电磁兼容测试系统（3米法半电波暗室）", en: "EMC test system (3 m semi-anechoic chamber)",
    unit: "hour", price: [500, 1000], value: [300, 800], weight: 1.5, tags: ["electronic", "auto"],
    use: "辐射发射、传导发射及抗扰度测试",
    makers: { [RS]: ["ESW44 + 3m SAC"], [KEYSIGHT]: ["N9038B MXE"], ["中电科思仪"]: ["EMC-3M"] },
  },
  {
    key: "power_analyzer", category: "electronic_measurement", zh: "高精度功率分析仪", en: "Precision power analyzer",
    unit: "hour", price: [80, 150], value: [30, 60], weight: 3, tags: ["electronic", "equipment", "cable"],
    use: "电机、变频器与电源效率及谐波测量",
    makers: { ["横河 Yokogawa"]: ["WT5000"], ["日置 Hioki"]: ["PW6001"], ["Zimmer"]: ["LMG671"] },
  },
  {
    key: "semiconductor_analyzer", category: "electronic_measurement", zh: "半导体参数分析仪", en: "Semiconductor parameter analyzer",
    unit: "hour", price: [200, 400], value: [80, 150], weight: 2, tags: ["electronic", "material"],
    use: "半导体器件 I-V、C-V 特性测试",
    makers: { [KEYSIGHT]: ["B1500A"], ["吉时利 Keithley"]: ["4200A-SCS"] },
  },
  {
    key: "partial_discharge", category: "electronic_measurement", zh: "局部放电测试系统", en: "Partial discharge test system",
    unit: "hour", price: [300, 600], value: [100, 200], weight: 1.5, tags: ["cable"],
    use: "电线电缆、电力设备局部放电及耐压试验",
    makers: { ["哈弗莱 Haefely"]: ["DDX 9121b"], ["苏州华电"]: ["HDJF-5"] },
  },
  {
    key: "impedance_analyzer", category: "electronic_measurement", zh: "精密阻抗分析仪", en: "Precision impedance analyzer",
    unit: "hour", price: [80, 150], value: [40, 80], weight: 2, tags: ["electronic", "material"],
    use: "电子元器件、介电材料阻抗与介电常数频率特性测量",
    makers: { [KEYSIGHT]: ["E4990A"], ["日置 Hioki"]: ["IM3570"] },
  },
  {
    key: "battery_tester", category: "electronic_measurement", zh: "电池充放电测试系统", en: "Battery charge/discharge test system",
    unit: "hour", price: [30, 80], value: [40, 120], weight: 2, tags: ["electronic", "material", "auto"],
    use: "锂电池、动力电池容量、倍率与循环寿命测试",
    makers: { ["Arbin"]: ["LBT21084"], ["新威 Neware"]: ["CT-4008Tn"], ["蓝电 LANHE"]: ["CT3002A"] },
    longRunning: true,
    capacity: [4, 8],
  },
  {
    key: "awg", category: "electronic_measurement", zh: "任意波形发生器", en: "Arbitrary waveform generator",
    unit: "hour", price: [100, 200], value: [50, 120], weight: 1.5, tags: ["electronic"],
    use: "复杂调制信号与高速数字激励信号产生",
    makers: { [KEYSIGHT]: ["M8195A"], ["泰克 Tektronix"]: ["AWG5200"], ["普源精电 RIGOL"]: ["DG70000"] },
  },
  // 特种检测仪器 — special testing (non-destructive testing, environmental reliability)
  {
    key: "ut_pa", category: "special_testing", zh: "相控阵超声检测仪", en: "Phased-array ultrasonic flaw detector",
    unit: "hour", price: [100, 250], value: [40, 100], weight: 3, tags: ["ndt", "pipe", "bearing", "metal"],
    use: "焊缝、锻件及轴承套圈内部缺陷检测",
    makers: { ["奥林巴斯 Olympus"]: ["OmniScan X3"], ["汕头超声 SIUI"]: ["CTS-PA22X"], ["中科创新"]: ["HS PA20-Ae"] },
  },
  {
    key: "industrial_ct", category: "special_testing", zh: "工业CT", en: "Industrial computed tomography (CT)",
    unit: "hour", price: [500, 1200], value: [300, 1000], weight: 1, tags: ["ndt", "material", "auto", "bearing"],
    use: "零件内部缺陷三维检测与尺寸测量",
    makers: { [ZEISS]: ["METROTOM 1500"], ["贝克休斯 Waygate"]: ["phoenix v|tome|x m"], ["尼康 Nikon"]: ["XT H 225"], ["三英精密"]: ["nanoVoxel 3000"] },
  },
  {
    key: "xray_dr", category: "special_testing", zh: "X射线实时成像检测系统", en: "Digital radiography (DR) system",
    unit: "hour", price: [200, 400], value: [80, 200], weight: 2, tags: ["ndt", "pipe", "metal"],
    use: "铸件、焊管焊缝射线数字成像检测",
    makers: { ["依科视朗 YXLON"]: ["MU 2000"], ["丹东奥龙"]: ["XYG-3205"] },
  },
  {
    key: "mpi", category: "special_testing", zh: "荧光磁粉探伤机", en: "Fluorescent magnetic particle inspection system",
    unit: "sample", price: [30, 80], value: [25, 80], weight: 2, tags: ["ndt", "bearing", "auto"],
    use: "轴承套圈、滚子及曲轴表面裂纹检测",
    makers: { ["南京捷威"]: ["CJW-6000"], ["MAGNAFLUX"]: ["D-2060"] },
  },
  {
    key: "eddy", category: "special_testing", zh: "多频涡流探伤仪", en: "Multi-frequency eddy current tester",
    unit: "hour", price: [100, 200], value: [40, 80], weight: 2, tags: ["ndt", "pipe", "bearing"],
    use: "钢管、棒材与轴承零件表面缺陷在线检测",
    makers: { ["爱德森"]: ["EEC-96"], ["福斯特 Foerster"]: ["DEFECTOMAT"] },
  },
  {
    key: "hydrostatic", category: "special_testing", zh: "钢管静水压试验机", en: "Hydrostatic pressure tester for pipes",
    unit: "sample", price: [100, 300], value: [80, 200], weight: 1, tags: ["pipe"],
    use: "无缝钢管、焊管静水压及爆破试验",
    makers: { ["天津万达"]: ["WDYB-100"], ["太原重工"]: ["SY-80"] },
  },
  {
    key: "residual_stress", category: "special_testing", zh: "X射线残余应力分析仪", en: "X-ray residual stress analyzer",
    unit: "sample", price: [200, 400], value: [80, 150], weight: 1.5, tags: ["bearing", "metal", "auto"],
    use: "淬火、磨削及喷丸零件表面残余应力测定",
    makers: { ["Proto"]: ["iXRD"], ["Stresstech"]: ["XSTRESS 3000 G3R"], ["邯郸爱斯特"]: ["X-350A"] },
  },
  {
    key: "acoustic_emission", category: "special_testing", zh: "声发射检测系统", en: "Acoustic emission testing system",
    unit: "hour", price: [150, 300], value: [50, 100], weight: 1, tags: ["ndt", "pipe", "equipment"],
    use: "压力容器、管道及结构件损伤监测",
    makers: { ["美国物理声学 PAC"]: ["Express-8"], ["北京声华"]: ["SAEU3H"] },
  },
  {
    key: "climate_chamber", category: "special_testing", zh: "高低温交变湿热试验箱", en: "Temperature and humidity chamber",
    unit: "hour", price: [30, 80], value: [30, 80], weight: 3, tags: ["reliability", "electronic", "auto", "cable"],
    use: "产品高低温、湿热及温度循环环境适应性试验",
    makers: { ["爱斯佩克 ESPEC"]: ["PL-3KPH"], ["伟思富奇 Weiss Technik"]: ["ClimeEvent C/340"], ["重庆哈丁"]: ["GDJS-1000"] },
    longRunning: true,
    capacity: [1, 3],
  },
  {
    key: "salt_spray", category: "special_testing", zh: "盐雾腐蚀试验箱", en: "Salt spray corrosion chamber",
    unit: "hour", price: [20, 60], value: [20, 60], weight: 3, tags: ["reliability", "metal", "bearing", "auto", "pipe"],
    use: "中性盐雾、醋酸盐雾及循环腐蚀试验（依据 GB/T 10125）",
    makers: { ["Q-Lab"]: ["Q-FOG CRH1100"], ["Ascott"]: ["CC1000ip"], ["无锡苏南"]: ["YWX/Q-750"] },
    longRunning: true,
    capacity: [1, 4],
  },
  {
    key: "vibration_table", category: "special_testing", zh: "电动振动试验系统", en: "Electrodynamic vibration test system",
    unit: "hour", price: [200, 400], value: [80, 200], weight: 2, tags: ["reliability", "auto", "electronic", "equipment"],
    use: "正弦、随机振动及冲击试验",
    makers: { ["苏试试验"]: ["DC-6000-60"], ["东菱振动"]: ["ES-10"], ["LDS"]: ["V875"] },
  },
  {
    key: "xenon", category: "special_testing", zh: "氙灯耐候试验箱", en: "Xenon arc weathering chamber",
    unit: "hour", price: [40, 100], value: [40, 80], weight: 1.5, tags: ["reliability", "material", "textile", "cable"],
    use: "材料光老化与耐候性加速试验",
    makers: { ["阿特拉斯 Atlas"]: ["Ci4400"], ["Q-Lab"]: ["Q-SUN Xe-3"] },
    longRunning: true,
  },
  // 激光器 — lasers
  {
    key: "fs_laser", category: "laser", zh: "飞秒激光器", en: "Femtosecond laser",
    unit: "hour", price: [300, 600], value: [150, 400], weight: 0.5, tags: ["material"],
    use: "超快光谱、微纳加工研究",
    makers: { ["相干 Coherent"]: ["Astrella"], ["光谱物理 Spectra-Physics"]: ["Solstice Ace"], ["Light Conversion"]: ["PHAROS"] },
  },
  {
    key: "laser_cladding", category: "laser", zh: "激光熔覆再制造系统", en: "Laser cladding system",
    unit: "hour", price: [300, 600], value: [100, 300], weight: 1, tags: ["bearing", "metal", "equipment"],
    use: "零件表面强化与激光熔覆再制造工艺试验",
    makers: { ["通快 TRUMPF"]: ["TruDisk 6001"], ["IPG"]: ["YLS-6000"], ["锐科激光 Raycus"]: ["RFL-C6000"] },
  },
  {
    key: "tunable_laser", category: "laser", zh: "可调谐激光器", en: "Tunable laser",
    unit: "hour", price: [200, 400], value: [80, 200], weight: 0.3, tags: ["material"],
    use: "激光光谱与光学器件测试",
    makers: { ["Toptica"]: ["DL pro"], ["M Squared"]: ["SolsTiS"] },
  },
  // 工艺试验仪器 — process testing
  {
    key: "vacuum_furnace", category: "process_testing", zh: "真空热处理炉", en: "Vacuum heat-treatment furnace",
    unit: "hour", price: [150, 300], value: [80, 200], weight: 2, tags: ["bearing", "metal", "auto"],
    use: "轴承钢、模具钢真空淬火与回火工艺试验",
    makers: { ["易普森 Ipsen"]: ["TurboTreater"], ["北京华翔"]: ["HVGQ-669"] },
  },
  {
    key: "carburizing", category: "process_testing", zh: "可控气氛多用炉", en: "Sealed-quench carburizing furnace",
    unit: "hour", price: [100, 250], value: [60, 150], weight: 1.5, tags: ["bearing", "auto"],
    use: "渗碳、碳氮共渗工艺试验",
    makers: { ["爱协林 AICHELIN"]: ["UBQ 600"], ["丰东热技术"]: ["UBE-600"] },
  },
  {
    key: "torque_rheometer", category: "process_testing", zh: "转矩流变仪", en: "Torque rheometer (mixing and extrusion)",
    unit: "hour", price: [150, 300], value: [50, 100], weight: 1.5, tags: ["material", "chem", "cable"],
    use: "塑料、橡胶加工流变性能与配方试验",
    makers: { [THERMO]: ["HAAKE PolyLab OS"], ["布拉本德 Brabender"]: ["Plastograph EC"], ["哈普电气"]: ["RM-200C"] },
  },
  {
    key: "metal_3dp", category: "process_testing", zh: "金属3D打印机", en: "Metal additive manufacturing system (SLM)",
    unit: "hour", price: [500, 1000], value: [200, 600], weight: 1, tags: ["material", "equipment"],
    use: "金属零件选区激光熔化增材制造与工艺研究",
    makers: { ["EOS"]: ["M 290"], ["铂力特 BLT"]: ["BLT-S310"], ["华曙高科 Farsoon"]: ["FS273M"] },
  },
  {
    key: "yarn_tester", category: "process_testing", zh: "条干均匀度测试仪", en: "Yarn evenness tester",
    unit: "sample", price: [60, 150], value: [150, 300], weight: 1.5, tags: ["textile"],
    use: "纱线条干均匀度、毛羽与疵点检测",
    makers: { ["乌斯特 Uster"]: ["USTER TESTER 6"], ["长岭纺电"]: ["YG139"] },
  },
  {
    key: "fabric_tester", category: "process_testing", zh: "织物综合性能测试系统", en: "Fabric performance testing system",
    unit: "sample", price: [50, 120], value: [40, 80], weight: 1.5, tags: ["textile"],
    use: "织物强力、耐磨、起毛起球与透气性测试",
    makers: { ["James Heal"]: ["Titan 5"], ["宁波纺织仪器"]: ["YG026H"] },
  },
  {
    key: "reaction_calorimeter", category: "process_testing", zh: "反应量热仪", en: "Reaction calorimeter",
    unit: "hour", price: [300, 600], value: [150, 300], weight: 1, tags: ["chem", "pharma"],
    use: "化工工艺热安全评估与放大研究",
    makers: { ["梅特勒-托利多 Mettler Toledo"]: ["RC1mx"], ["H.E.L"]: ["Simular"] },
  },
  // 计算机及其配套设备 — computing
  {
    key: "hpc", category: "computing", zh: "高性能计算集群", en: "High-performance computing cluster",
    unit: "hour", price: [20, 80], value: [200, 800], weight: 0.5, tags: [],
    use: "有限元仿真、计算流体力学与材料计算（按节点小时计费）",
    makers: { ["浪潮 Inspur"]: ["NF5280M6 集群"], ["中科曙光 Sugon"]: ["TC6600"], ["联想 Lenovo"]: ["ThinkSystem SD650"] },
    capacity: [8, 32],
  },
  {
    key: "gpu_server", category: "computing", zh: "GPU计算服务器", en: "GPU computing server",
    unit: "hour", price: [30, 100], value: [80, 300], weight: 0.5, tags: ["electronic"],
    use: "深度学习训练、图像识别与仿真加速",
    makers: { ["英伟达 NVIDIA"]: ["DGX A100"], ["浪潮 Inspur"]: ["NF5488A5"], ["华为 Huawei"]: ["Atlas 800"] },
    capacity: [4, 8],
  },
  {
    key: "cae_station", category: "computing", zh: "CAE仿真工作站", en: "CAE simulation workstation",
    unit: "hour", price: [30, 60], value: [50, 80], weight: 0.5, tags: ["equipment", "bearing", "auto"],
    use: "轴承、结构件有限元分析与仿真（含商业软件许可）",
    makers: { ["戴尔 Dell"]: ["Precision 7920 + ANSYS Mechanical"], ["惠普 HP"]: ["Z8 G4 + Romax"] },
  },
  // 医学科研仪器 — medical research
  {
    key: "flow_cytometer", category: "medical_research", zh: "流式细胞仪", en: "Flow cytometer",
    unit: "hour", price: [200, 400], value: [100, 300], weight: 1, tags: ["bio", "pharma"],
    use: "细胞表型、周期与凋亡分析",
    makers: { ["碧迪 BD"]: ["FACSCanto II", "FACSAria III"], ["贝克曼 Beckman Coulter"]: ["CytoFLEX S"], [AGILENT]: ["NovoCyte Quanteon"] },
  },
  {
    key: "qpcr", category: "medical_research", zh: "实时荧光定量PCR仪", en: "Real-time quantitative PCR system",
    unit: "sample", price: [50, 100], value: [30, 60], weight: 1.5, tags: ["bio", "agri", "food"],
    use: "基因表达、病原微生物及转基因成分检测",
    makers: { ["伯乐 Bio-Rad"]: ["CFX96 Touch"], [THERMO]: ["QuantStudio 5"], ["罗氏 Roche"]: ["LightCycler 480 II"] },
  },
  {
    key: "confocal", category: "medical_research", zh: "激光共聚焦显微镜", en: "Confocal laser scanning microscope",
    unit: "hour", price: [200, 400], value: [150, 400], weight: 0.7, tags: ["bio"],
    use: "细胞与组织荧光三维成像",
    makers: { [ZEISS]: ["LSM 980"], ["徕卡 Leica"]: ["STELLARIS 5"], ["尼康 Nikon"]: ["AX R"] },
  },
  {
    key: "ultracentrifuge", category: "medical_research", zh: "超速离心机", en: "Ultracentrifuge",
    unit: "hour", price: [100, 200], value: [80, 150], weight: 0.7, tags: ["bio", "pharma"],
    use: "病毒、外泌体及亚细胞组分分离",
    makers: { ["贝克曼 Beckman Coulter"]: ["Optima XPN-100"], [THERMO]: ["Sorvall WX+"] },
  },
  {
    key: "sequencer", category: "medical_research", zh: "高通量基因测序仪", en: "High-throughput DNA sequencer",
    unit: "sample", price: [500, 1500], value: [300, 800], weight: 0.4, tags: ["bio", "agri"],
    use: "作物育种基因组重测序与转录组测序",
    makers: { ["因美纳 Illumina"]: ["NovaSeq 6000", "MiSeq"], ["华大智造 MGI"]: ["DNBSEQ-G400"] },
  },
  {
    key: "plate_reader", category: "medical_research", zh: "多功能酶标仪", en: "Multimode microplate reader",
    unit: "hour", price: [80, 150], value: [30, 60], weight: 0.8, tags: ["bio", "food", "pharma"],
    use: "吸光度、荧光与化学发光检测",
    makers: { [THERMO]: ["Varioskan LUX"], ["伯腾 BioTek"]: ["Synergy H1"], ["美谷分子 Molecular Devices"]: ["SpectraMax i3x"] },
  },
  // 核仪器 — nuclear
  {
    key: "hpge", category: "nuclear", zh: "高纯锗γ能谱仪", en: "HPGe gamma spectrometer",
    unit: "sample", price: [200, 500], value: [80, 200], weight: 0.6, tags: ["env", "food"],
    use: "环境、食品及建材放射性核素分析",
    makers: { ["ORTEC"]: ["GEM-C5060"], ["Mirion (Canberra)"]: ["BE6530"] },
  },
  {
    key: "lsc", category: "nuclear", zh: "液体闪烁计数器", en: "Liquid scintillation counter",
    unit: "sample", price: [100, 200], value: [60, 120], weight: 0.3, tags: ["env", "bio"],
    use: "氚、碳-14 等低能β核素测量",
    makers: { [PERKIN]: ["Tri-Carb 4910TR"], ["Hidex"]: ["300 SL"] },
  },
  {
    key: "alpha_beta", category: "nuclear", zh: "低本底α/β测量仪", en: "Low-background alpha/beta counter",
    unit: "sample", price: [150, 300], value: [50, 100], weight: 0.4, tags: ["env", "food"],
    use: "饮用水、食品总α/总β放射性测定",
    makers: { ["北京核仪器厂"]: ["BH1227"], ["Mirion (Canberra)"]: ["iMatic"] },
  },
  // 地球探测仪器 — earth exploration
  {
    key: "gpr", category: "earth_exploration", zh: "探地雷达", en: "Ground penetrating radar (GPR)",
    unit: "hour", price: [200, 400], value: [50, 150], weight: 0.4, tags: ["env"],
    use: "地下管线、空洞及路基病害探测",
    makers: { ["GSSI"]: ["SIR-4000"], ["MALÅ"]: ["ProEx"], ["中国电波传播研究所"]: ["LTD-2600"] },
  },
  {
    key: "resistivity", category: "earth_exploration", zh: "高密度电法仪", en: "Multi-electrode resistivity imaging system",
    unit: "hour", price: [150, 300], value: [50, 100], weight: 0.3, tags: ["env"],
    use: "地下水、岩溶及污染场地电阻率成像勘查",
    makers: { ["重庆地质仪器厂"]: ["DUK-4"], ["ABEM"]: ["Terrameter LS 2"], ["IRIS"]: ["Syscal Pro"] },
  },
  {
    key: "seismograph", category: "earth_exploration", zh: "工程地震仪", en: "Engineering seismograph",
    unit: "hour", price: [150, 300], value: [50, 100], weight: 0.3, tags: ["env"],
    use: "浅层地震勘探与场地波速测试",
    makers: { ["Geometrics"]: ["Geode"], ["重庆地质仪器厂"]: ["SWS-6"] },
  },
  // 大气探测仪器 — atmospheric sounding
  {
    key: "lidar", category: "atmospheric", zh: "气溶胶激光雷达", en: "Aerosol lidar",
    unit: "hour", price: [300, 600], value: [150, 400], weight: 0.3, tags: ["env"],
    use: "大气气溶胶垂直分布与边界层高度观测",
    makers: { ["无锡中科光电"]: ["AGHJ-I-LIDAR"], ["Raymetrics"]: ["LR111-D300"] },
  },
  {
    key: "pm_monitor", category: "atmospheric", zh: "颗粒物在线监测仪", en: "Particulate matter monitor (beta attenuation)",
    unit: "hour", price: [50, 100], value: [30, 60], weight: 0.5, tags: ["env"],
    use: "PM2.5、PM10 质量浓度连续监测",
    makers: { [THERMO]: ["5030i SHARP"], ["Met One"]: ["BAM-1020"] },
  },
  {
    key: "ghg_analyzer", category: "atmospheric", zh: "温室气体分析仪", en: "Greenhouse gas analyzer",
    unit: "hour", price: [150, 300], value: [80, 150], weight: 0.4, tags: ["env", "agri"],
    use: "CO₂、CH₄、N₂O 浓度及农田温室气体通量观测",
    makers: { ["Picarro"]: ["G2301"], ["LI-COR"]: ["LI-7810"] },
  },
  {
    key: "weather_station", category: "atmospheric", zh: "自动气象站", en: "Automatic weather station",
    unit: "hour", price: [50, 100], value: [30, 80], weight: 0.3, tags: ["agri", "env"],
    use: "温湿度、风速风向、降水与辐射观测",
    makers: { ["维萨拉 Vaisala"]: ["MAWS301"], ["华云升达"]: ["HY-WS"] },
  },
  // 海洋仪器 — marine (used on the Yellow River, the Grand Canal and 东昌湖)
  {
    key: "adcp", category: "marine", zh: "声学多普勒流速剖面仪", en: "Acoustic Doppler current profiler (ADCP)",
    unit: "hour", price: [200, 400], value: [50, 120], weight: 0.15, tags: [],
    use: "河流、湖泊流速流量测验",
    makers: { ["Teledyne RDI"]: ["Workhorse 600 kHz"], ["SonTek"]: ["RiverSurveyor M9"], ["Nortek"]: ["Signature1000"] },
  },
  {
    key: "ctd", category: "marine", zh: "温盐深剖面仪", en: "CTD profiler",
    unit: "hour", price: [150, 300], value: [50, 150], weight: 0.1, tags: [],
    use: "水体温度、电导率、深度剖面观测",
    makers: { ["Sea-Bird"]: ["SBE 911plus"], ["RBR"]: ["concerto3"] },
  },
  // 天文仪器 — astronomy
  {
    key: "telescope", category: "astronomy", zh: "光学天文望远镜", en: "Optical astronomical telescope",
    unit: "hour", price: [200, 500], value: [80, 200], weight: 0.05, tags: [],
    use: "变星测光、天体光谱观测与天文教学",
    makers: { ["南京天文光学技术研究所"]: ["0.6 m RC"], ["PlaneWave"]: ["CDK24"] },
  },
  // 其他仪器 — other
  {
    key: "freeze_dryer", category: "other", zh: "真空冷冻干燥机", en: "Vacuum freeze dryer",
    unit: "hour", price: [50, 150], value: [30, 100], weight: 1, tags: ["food", "pharma", "bio"],
    use: "生物制品、食品与药品冻干工艺试验",
    makers: { ["Labconco"]: ["FreeZone 18L"], ["松源华兴"]: ["LGJ-25F"] },
    longRunning: true,
  },
  {
    key: "glovebox", category: "other", zh: "惰性气体手套箱", en: "Inert-gas glove box",
    unit: "hour", price: [50, 100], value: [30, 60], weight: 0.6, tags: ["material", "chem"],
    use: "无水无氧条件下材料制备与电池组装",
    makers: { ["布劳恩 MBRAUN"]: ["LABstar"], ["米开罗那 Mikrouna"]: ["Universal 2440"] },
  },
  {
    key: "sample_prep", category: "other", zh: "全自动金相试样制备系统", en: "Automatic metallographic sample preparation system",
    unit: "sample", price: [30, 60], value: [30, 60], weight: 1.2, tags: ["metal", "bearing", "pipe"],
    use: "金相试样切割、镶嵌、磨抛一体化制备",
    makers: { ["司特尔 Struers"]: ["Tegramin-30"], ["标乐 Buehler"]: ["EcoMet 300"] },
  },
];

export const TEMPLATE_BY_KEY = new Map(INSTRUMENT_TEMPLATES.map((t) => [t.key, t]));
