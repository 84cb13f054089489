// The demo city's organizations and names, modelled on the article about 聊城 (Liaocheng):
// 鲁西质检中心 = 2 national centers + 6 provincial centers + 5 provincial metrology key labs +
// 26 municipal labs, plus 聊城大学 and a few institutes; enterprise name parts by industry; the
// packaged services (打包服务). Instrument vocabulary: instrument-data.ts.
import type { County, Industry, PackagePurpose, ProviderKind } from "../../shared/enums";
import type { Focus } from "./instrument-data";

export interface ProviderSpec {
  /** Stable short name that packages refer to. */
  key: string;
  name: string;
  kind: ProviderKind;
  county: County;
  /** Where its instruments stand (the instrument location starts with this). */
  site: string;
  focus: Focus[];
  /** How many instruments it lists; the sum over all providers is the article's 1,177. */
  instruments: number;
  /** Instrument templates it certainly has (one active instrument each), before the random rest. */
  core: string[];
}

const LUXI = "鲁西质检中心";

/** In `_id` order: demo-prov-01 is the national bearing center, whose admin is the demo provider admin. */
export const PROVIDERS: ProviderSpec[] = [
  // 2 national centers (国家级质检中心)
  {
    key: "bearing_center", name: "国家轴承质量检验检测中心（山东）", kind: "national_center", county: "linqing",
    site: `${LUXI}临清轴承检测基地`, focus: ["bearing", "metal", "metrology", "ndt"], instruments: 90,
    core: ["oes_spark", "metallographic", "hardness_v", "hardness_r", "cmm", "roundness", "roughness", "bearing_vibration",
      "bearing_torque", "bearing_life", "salt_spray", "residual_stress", "sem_w", "sample_prep"],
  },
  {
    key: "pipe_center", name: "国家钢管质量检验检测中心（山东）", kind: "national_center", county: "econ_dev_zone",
    site: `${LUXI}开发区检测大楼`, focus: ["pipe", "metal", "ndt"], instruments: 90,
    core: ["oes_spark", "utm", "impact", "ut_pa", "hydrostatic", "eddy", "xray_dr", "metallographic"],
  },
  // 6 provincial centers (省级质检中心)
  {
    key: "nonferrous", name: "山东省有色金属产品质量检验检测中心", kind: "provincial_center", county: "chiping",
    site: `${LUXI}茌平有色金属检测基地`, focus: ["metal", "material"], instruments: 40, core: ["icp_oes", "oes_spark", "xrd", "xrf"],
  },
  {
    key: "auto_center", name: "山东省汽车零部件质量检验检测中心", kind: "provincial_center", county: "dongchangfu",
    site: `${LUXI}汽车零部件实验楼`, focus: ["auto", "metal", "reliability"], instruments: 40,
    core: ["cmm", "utm", "vibration_table", "fatigue", "gear_center"],
  },
  {
    key: "cable_center", name: "山东省电线电缆产品质量检验检测中心", kind: "provincial_center", county: "yanggu",
    site: `${LUXI}阳谷电缆检测基地`, focus: ["cable", "electronic", "material"], instruments: 36,
    core: ["partial_discharge", "utm", "xenon", "tga"],
  },
  {
    key: "chem_center", name: "山东省化工产品质量检验检测中心", kind: "provincial_center", county: "hi_tech_zone",
    site: `${LUXI}高新区化工检测楼`, focus: ["chem"], instruments: 40, core: ["gcms", "ftir", "icp_oes", "dsc"],
  },
  {
    key: "agri_machinery_center", name: "山东省农业机械产品质量检验检测中心", kind: "provincial_center", county: "gaotang",
    site: `${LUXI}高唐农机检测基地`, focus: ["auto", "equipment", "metal"], instruments: 36, core: ["fatigue", "vibration_table"],
  },
  {
    key: "coated_steel_center", name: "山东省金属涂镀板产品质量检验检测中心", kind: "provincial_center", county: "guanxian",
    site: `${LUXI}冠县涂镀板检测基地`, focus: ["metal", "reliability", "material"], instruments: 36, core: ["salt_spray", "xrf"],
  },
  // 5 provincial metrology key labs (省级计量重点实验室)
  {
    key: "geometry_lab", name: "山东省轴承几何量计量重点实验室", kind: "metrology_lab", county: "linqing",
    site: `${LUXI}临清计量楼`, focus: ["metrology", "bearing"], instruments: 22, core: ["roundness", "gauge_comparator", "length_machine"],
  },
  {
    key: "force_lab", name: "山东省力学计量重点实验室", kind: "metrology_lab", county: "dongchangfu",
    site: `${LUXI}计量测试楼`, focus: ["metrology"], instruments: 20, core: ["force_standard", "pressure_standard"],
  },
  {
    key: "thermal_lab", name: "山东省热工计量重点实验室", kind: "metrology_lab", county: "dongchangfu",
    site: `${LUXI}计量测试楼`, focus: ["metrology"], instruments: 18, core: ["temperature_standard"],
  },
  {
    key: "electrical_lab", name: "山东省电学计量重点实验室", kind: "metrology_lab", county: "econ_dev_zone",
    site: `${LUXI}开发区计量楼`, focus: ["metrology", "electronic"], instruments: 20, core: ["electrical_calibrator"],
  },
  {
    key: "flow_lab", name: "山东省流量计量重点实验室", kind: "metrology_lab", county: "hi_tech_zone",
    site: `${LUXI}高新区流量实验室`, focus: ["metrology"], instruments: 20, core: ["flow_standard"],
  },
  // 26 municipal labs (市级专业实验室)
  ...municipal([
    ["bearing_lab", "轴承检测", "linqing", ["bearing"], 16, ["bearing_vibration", "bearing_life", "roundness"]],
    ["bearing_material_lab", "轴承材料", "linqing", ["bearing", "metal"], 12, ["metallographic", "oes_spark"]],
    ["pipe_ndt_lab", "钢管无损检测", "econ_dev_zone", ["pipe", "ndt"], 12, ["ut_pa", "eddy"]],
    ["mechanics_lab", "金属材料力学性能", "dongchangfu", ["metal"], 12, ["utm", "impact"]],
    ["nonferrous_lab", "有色金属成分分析", "chiping", ["metal", "chem"], 12, ["icp_oes", "xrf"]],
    ["copper_lab", "铜及铜合金", "yanggu", ["metal"], 10, ["oes_spark"]],
    ["cable_lab", "电线电缆", "yanggu", ["cable"], 12, ["partial_discharge"]],
    ["auto_parts_lab", "汽车零部件", "econ_dev_zone", ["auto"], 14, ["cmm"]],
    ["farm_machinery_lab", "农机具", "gaotang", ["auto", "equipment"], 10, []],
    ["chemicals_lab", "化工产品", "hi_tech_zone", ["chem"], 12, []],
    ["fertilizer_lab", "化肥检测", "chiping", ["chem", "agri"], 10, []],
    ["food_safety_lab", "食品安全", "dongchangfu", ["food"], 14, []],
    ["ejiao_lab", "阿胶及中药材", "donge", ["pharma", "food"], 12, ["hplc", "amino", "icp_ms", "aas"]],
    ["farm_produce_lab", "农产品质量安全", "shenxian", ["agri", "food"], 14, ["gcms", "icp_ms"]],
    ["vegetable_lab", "蔬菜农药残留检测", "shenxian", ["agri", "food"], 10, []],
    ["apparel_lab", "纺织服装", "linqing", ["textile"], 12, ["fabric_tester"]],
    ["fiber_lab", "纺织纤维", "gaotang", ["textile"], 10, ["yarn_tester"]],
    ["appliance_lab", "电子电器", "hi_tech_zone", ["electronic"], 12, []],
    ["emc_lab", "电磁兼容", "hi_tech_zone", ["electronic"], 12, ["emc", "spectrum_analyzer", "oscilloscope"]],
    ["new_materials_lab", "新材料", "hi_tech_zone", ["material"], 14, []],
    ["environment_lab", "环境监测", "dongchangfu", ["env"], 12, ["pm_monitor"]],
    ["building_materials_lab", "建筑材料", "guanxian", ["material"], 10, []],
    ["coating_lab", "涂镀钢板", "guanxian", ["metal", "reliability"], 10, ["salt_spray"]],
    ["special_equipment_lab", "特种设备无损检测", "econ_dev_zone", ["ndt", "pipe"], 12, ["acoustic_emission"]],
    ["reliability_lab", "可靠性与环境试验", "econ_dev_zone", ["reliability"], 14, ["climate_chamber", "salt_spray", "vibration_table"]],
    ["water_lab", "水质检测", "jiangbei_resort", ["env"], 12, ["ic", "icp_ms"]],
  ]),
  // a university and institutes (高校院所)
  {
    key: "lcu", name: "聊城大学", kind: "university", county: "dongchangfu", site: "聊城大学大型仪器共享平台",
    focus: ["material", "chem", "bio", "electronic", "env", "pharma"], instruments: 260,
    // Every category at least once: the rare ones (astronomy, marine, atmospheric …) live here.
    core: ["telescope", "adcp", "ctd", "gpr", "lidar", "fs_laser", "hpge", "hpc", "gpu_server", "flow_cytometer", "confocal",
      "freeze_dryer", "sem", "nmr", "xrd", "xps", "bet", "tga", "raman", "tem", "afm", "hrms"],
  },
  {
    key: "agri_academy", name: "聊城市农业科学院", kind: "institute", county: "dongchangfu", site: "聊城市农业科学院科研楼",
    focus: ["agri", "food", "bio"], instruments: 35, core: ["lcms", "qpcr", "sequencer", "weather_station", "ghg_analyzer"],
  },
  {
    key: "food_drug_institute", name: "聊城市食品药品检验研究院", kind: "institute", county: "dongchangfu",
    site: "聊城市食品药品检验研究院检验楼", focus: ["pharma", "food"], instruments: 30, core: ["hplc", "lcms", "icp_ms", "amino", "aas"],
  },
  {
    key: "materials_institute", name: "聊城高新区新材料产业技术研究院", kind: "institute", county: "hi_tech_zone",
    site: "高新区新材料产业园研发中心", focus: ["material", "chem"], instruments: 18, core: ["metal_3dp", "sem"],
  },
  {
    key: "bearing_institute", name: "临清市轴承产业技术研究院", kind: "institute", county: "linqing",
    site: "临清市轴承产业技术研究院试验中心", focus: ["bearing", "equipment"], instruments: 14,
    core: ["cae_station", "laser_cladding", "vacuum_furnace", "tribometer"],
  },
];

type MunicipalRow = [key: string, field: string, county: County, focus: Focus[], instruments: number, core: string[]];

function municipal(rows: MunicipalRow[]): ProviderSpec[] {
  return rows.map(([key, field, county, focus, instruments, core]) => ({
    key,
    name: `聊城市${field}专业实验室`,
    kind: "municipal_lab",
    county,
    site: `${LUXI}${field}实验室`,
    focus,
    instruments,
    core,
  }));
}

/** The article: 2 national, 6 provincial, 5 metrology, 26 municipal in the 鲁西质检中心 family. */
export const QUALITY_CENTER_FAMILY = { national_center: 2, provincial_center: 6, metrology_lab: 5, municipal_lab: 26 } as const;

// --- enterprises ---------------------------------------------------------------------------------

/** Industry shares of registered enterprises; bearings lead (the article: 42.42% of subsidized firms). */
export const INDUSTRY_SHARES: [Industry, number][] = [
  ["bearings", 42],
  ["auto_parts", 9],
  ["equipment", 8],
  ["chemicals", 8],
  ["new_materials", 7],
  ["electronics", 5],
  ["food", 5],
  ["pharma", 4],
  ["agriculture", 4],
  ["textiles", 3],
  ["metals", 3],
  ["other", 2],
];

/** Where enterprises are, before industry adjustments (东昌府区 and 临清市 heavier). */
export const COUNTY_WEIGHTS: Record<County, number> = {
  dongchangfu: 18,
  linqing: 14,
  chiping: 8,
  yanggu: 7,
  shenxian: 6,
  donge: 6,
  guanxian: 6,
  gaotang: 7,
  econ_dev_zone: 12,
  hi_tech_zone: 11,
  jiangbei_resort: 2,
};

/** Industry clusters: 临清 bearings, 东阿 ejiao (pharma), 莘县 vegetables, 茌平/阳谷 aluminium and copper … */
export const COUNTY_BOOSTS: Partial<Record<Industry, Partial<Record<County, number>>>> = {
  bearings: { linqing: 6, dongchangfu: 0.8, econ_dev_zone: 0.8, guanxian: 1.2, shenxian: 0.5, donge: 0.5 },
  pharma: { donge: 5 },
  agriculture: { shenxian: 5, guanxian: 2 },
  metals: { chiping: 5, yanggu: 4 },
  textiles: { gaotang: 4, linqing: 2 },
  chemicals: { hi_tech_zone: 2, donge: 1.5 },
  electronics: { hi_tech_zone: 2.5, econ_dev_zone: 2 },
  auto_parts: { econ_dev_zone: 2, gaotang: 2 },
  equipment: { econ_dev_zone: 2, gaotang: 1.5 },
  food: { guanxian: 1.5, donge: 1.5, shenxian: 1.5 },
};

/** The place name a company registered in that county usually carries. */
export const COUNTY_NAME_PREFIX: Record<County, string[]> = {
  dongchangfu: ["聊城", "聊城市"],
  chiping: ["茌平", "聊城"],
  linqing: ["临清", "临清市"],
  yanggu: ["阳谷", "阳谷县"],
  shenxian: ["莘县"],
  donge: ["东阿", "东阿县"],
  guanxian: ["冠县"],
  gaotang: ["高唐", "高唐县"],
  econ_dev_zone: ["聊城", "聊城开发区"],
  hi_tech_zone: ["聊城", "聊城高新区"],
  jiangbei_resort: ["聊城"],
};

/** Administrative division codes (positions 3–8 of the credit code); the three zones register at city level. */
export const COUNTY_REGION_CODE: Record<County, string> = {
  dongchangfu: "371502",
  chiping: "371503",
  linqing: "371581",
  yanggu: "371521",
  shenxian: "371522",
  donge: "371524",
  guanxian: "371525",
  gaotang: "371526",
  econ_dev_zone: "371500",
  hi_tech_zone: "371500",
  jiangbei_resort: "371500",
};

/** 字号: the distinctive part of a company name. */
export const TRADE_NAMES = (
  "恒泰 鑫宇 华宇 金力 瑞丰 宏达 永兴 联诚 东岳 凯达 泰和 隆盛 聚源 博远 天成 德润 润通 昌盛 宝鼎 祥瑞 富海 嘉禾 " +
  "信达 华兴 新宇 金鼎 鸿运 佳和 振华 晨阳 瑞祥 天润 兴华 众诚 华泰 永盛 恒基 鲁源 鲁信 海瑞 中和 合力 通达 金诺 " +
  "德信 立新 万福 久安 元亨 利达 裕丰 顺发 同创 精工 天元 宏远 志诚 博瑞 恒信 新锐 光远 华科 思远 普瑞 卓越 明泰 " +
  "锦程 华丰 亿达 安泰 启航 远航 信和 盛泰 鑫海 金桥 三和 正源 汇金 龙腾 腾飞 冠华 宏图 宝利 华通 永新 运河 水城 " +
  "凤凰 光岳 鲁西 齐源 汇通 金润 达力 恒丰 瑞达 盛源 泰昌 海川 金帆 鼎盛 长兴 晟达 诚远 凯宏 福瑞 乾元 坤泰"
).split(" ");

/** The industry word(s) and whether it already reads as 科技/制造 (then only 有限公司 follows). */
export const INDUSTRY_NAME_WORDS: Record<Industry, string[]> = {
  bearings: ["轴承", "精密轴承", "轴承制造", "轴承科技", "轴承钢球", "轴承保持架", "滚子", "轴承配件", "重型轴承", "汽车轴承", "精密机械"],
  auto_parts: ["汽车零部件", "汽车配件", "制动器", "车桥", "汽车电器", "离合器", "汽车部件制造"],
  chemicals: ["化工", "精细化工", "化学", "生物化工", "涂料", "化肥"],
  new_materials: ["新材料科技", "复合材料", "高分子材料", "纳米材料", "碳材料", "新型建材"],
  electronics: ["电子", "电子科技", "智能科技", "软件", "光电", "信息技术"],
  equipment: ["机械", "重工", "装备制造", "机电", "数控机床", "液压", "智能装备"],
  pharma: ["生物科技", "药业", "阿胶", "医疗器械", "生物医药"],
  food: ["食品", "粮油", "肉制品", "乳业", "调味品", "果蔬"],
  agriculture: ["农业科技", "种业", "蔬菜", "生态农业", "农业发展"],
  textiles: ["纺织", "服饰", "棉业", "家纺", "化纤"],
  metals: ["铝业", "铜业", "金属制品", "有色金属", "合金材料", "钢管"],
  other: ["环保科技", "新能源", "检测技术", "节能科技", "文化科技"],
};

export const COMPANY_SUFFIXES: [string, number][] = [
  ["有限公司", 55],
  ["科技有限公司", 25],
  ["制造有限公司", 8],
  ["股份有限公司", 4],
  ["有限责任公司", 8],
];

/** Why the bureau turned a registration down (入库审核 rejection reasons). */
export const REJECTION_REASONS = [
  "营业执照信息与统一社会信用代码不一致，请核对后重新提交。",
  "企业营业收入超过中小微企业划型标准，不符合入库条件。",
  "注册地址不在本市行政区域内。",
  "未提供有效的研发活动证明材料。",
  "该企业已通过其他账号注册，请勿重复申请。",
];

export const SURNAMES = "王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 潘 袁 蔡 蒋 于 杜 魏".split(" ");
export const GIVEN_NAMES = (
  "伟 芳 娜 敏 静 磊 强 军 洋 勇 艳 杰 涛 明 超 秀英 华 平 刚 桂英 建国 建华 志强 海燕 晓东 文博 子涵 欣怡 " +
  "浩然 宇航 思远 国庆 红梅 春雷 立新 永刚 丽娟 振宇 雪梅 晨曦 鹏飞 凯 宁 瑞 博 琳 倩 斌"
).split(" ");

// --- packaged services (打包服务) ------------------------------------------------------------------

export interface PackageItemSpec {
  /** Provider key; default: the package's provider. */
  provider?: string;
  template: string;
  hours?: number;
  samples?: number;
  /** Its quantity is computed so the list price reaches the package's `listTargetYuan`. */
  flex?: boolean;
}

export interface PackageSpec {
  name: string;
  nameEn: string;
  purpose: PackagePurpose;
  provider: string;
  description: string;
  items: PackageItemSpec[];
  /** Fixed package price; otherwise the list price times `discount`, rounded to 100 yuan. */
  priceYuan?: number;
  discount?: number;
  listTargetYuan?: number;
}

/** In `_id` order; demo-pkg-01 is the article's standard-drafting package. */
export const PACKAGES: PackageSpec[] = [
  {
    name: "标准制定打包服务（滚动轴承）",
    nameEn: "Standard drafting package (rolling bearings)",
    purpose: "standard_drafting",
    provider: "bearing_center",
    description:
      "为轴承企业制定企业标准、团体标准提供一站式检测：化学成分、金相组织、硬度、尺寸与形位公差、圆度、粗糙度、" +
      "振动、摩擦力矩、盐雾和疲劳寿命共 10 项。过去需分别申报约 10 次、费用约 4 万元；打包后一次申请、一次性收费 2 万元，" +
      "出具标准编制所需的全部检测数据与报告。",
    priceYuan: 20_000,
    listTargetYuan: 40_000,
    items: [
      { template: "oes_spark", samples: 3 },
      { template: "metallographic", samples: 6 },
      { template: "hardness_v", samples: 10 },
      { template: "cmm", hours: 16 },
      { template: "roundness", hours: 8 },
      { template: "roughness", hours: 8 },
      { template: "bearing_vibration", samples: 40 },
      { template: "bearing_torque", samples: 20 },
      { template: "salt_spray", hours: 96 },
      { template: "bearing_life", flex: true },
    ],
  },
  {
    name: "轴承型式试验认证检测套餐",
    nameEn: "Bearing type-test certification package",
    purpose: "certification",
    provider: "bearing_center",
    description: "产品认证所需的型式试验：尺寸精度、圆度、振动、硬度与寿命试验，几何量计量由省轴承几何量计量重点实验室协作完成。",
    discount: 0.7,
    items: [
      { template: "cmm", hours: 4 },
      { provider: "geometry_lab", template: "roundness", hours: 2 },
      { template: "bearing_vibration", samples: 20 },
      { template: "hardness_r", samples: 10 },
      { template: "bearing_life", hours: 72 },
    ],
  },
  {
    name: "轴承失效分析打包服务",
    nameEn: "Bearing failure analysis package",
    purpose: "failure_analysis",
    provider: "bearing_center",
    description: "早期剥落、断裂、烧伤等失效轴承的系统分析：成分、金相、硬度、残余应力，断口由聊城大学场发射电镜观察。",
    discount: 0.75,
    items: [
      { template: "oes_spark", samples: 2 },
      { template: "metallographic", samples: 4 },
      { template: "hardness_v", samples: 6 },
      { template: "residual_stress", samples: 3 },
      { provider: "lcu", template: "sem", hours: 3 },
    ],
  },
  {
    name: "钢管产品质量检验套餐",
    nameEn: "Steel pipe quality inspection package",
    purpose: "quality_inspection",
    provider: "pipe_center",
    description: "无缝钢管、焊管出厂及监督抽查常用项目：化学成分、拉伸、冲击、超声与涡流探伤、静水压试验。",
    discount: 0.75,
    items: [
      { template: "oes_spark", samples: 2 },
      { template: "utm", samples: 6 },
      { template: "impact", samples: 6 },
      { template: "ut_pa", hours: 2 },
      { template: "eddy", hours: 2 },
      { template: "hydrostatic", samples: 3 },
    ],
  },
  {
    name: "汽车零部件可靠性验证套餐",
    nameEn: "Auto parts reliability validation package",
    purpose: "certification",
    provider: "auto_center",
    description: "主机厂准入常用的可靠性验证：振动、温湿度循环、盐雾、尺寸与力学性能；环境试验由市可靠性与环境试验专业实验室承担。",
    discount: 0.7,
    items: [
      { template: "vibration_table", hours: 8 },
      { provider: "reliability_lab", template: "climate_chamber", hours: 72 },
      { provider: "reliability_lab", template: "salt_spray", hours: 96 },
      { template: "cmm", hours: 4 },
      { template: "utm", samples: 5 },
    ],
  },
  {
    name: "电线电缆型式试验套餐",
    nameEn: "Wire and cable type-test package",
    purpose: "certification",
    provider: "cable_center",
    description: "电线电缆产品认证型式试验：局部放电、绝缘与护套机械性能、热稳定性及耐候性。",
    discount: 0.7,
    items: [
      { template: "partial_discharge", hours: 4 },
      { template: "utm", samples: 10 },
      { template: "tga", samples: 4 },
      { template: "xenon", hours: 168 },
    ],
  },
  {
    name: "化工产品成分剖析套餐",
    nameEn: "Chemical product composition analysis package",
    purpose: "r_and_d",
    provider: "chem_center",
    description: "未知配方与竞品成分剖析：色质联用、红外、元素分析与热分析，结构确证由聊城大学核磁共振波谱仪完成。",
    discount: 0.7,
    items: [
      { template: "gcms", samples: 3 },
      { template: "ftir", samples: 3 },
      { template: "icp_oes", samples: 2 },
      { template: "dsc", samples: 2 },
      { provider: "lcu", template: "nmr", samples: 2 },
    ],
  },
  {
    name: "农产品农残与重金属检测套餐",
    nameEn: "Farm produce pesticide-residue and heavy-metal package",
    purpose: "quality_inspection",
    provider: "agri_academy",
    description: "设施蔬菜及农产品上市前检测：农药残留（液质、气质）与重金属，重金属由市农产品质量安全专业实验室检测。",
    discount: 0.7,
    items: [
      { template: "lcms", samples: 5 },
      { provider: "farm_produce_lab", template: "gcms", samples: 5 },
      { provider: "farm_produce_lab", template: "icp_ms", samples: 5 },
    ],
  },
  {
    name: "新材料表征打包服务",
    nameEn: "New materials characterization package",
    purpose: "r_and_d",
    provider: "lcu",
    description: "新材料研发常用表征组合：形貌、物相、表面化学态、比表面积、热稳定性与拉曼光谱。",
    discount: 0.65,
    items: [
      { template: "sem", hours: 2 },
      { template: "xrd", samples: 3 },
      { template: "xps", samples: 2 },
      { template: "bet", samples: 2 },
      { template: "tga", samples: 2 },
      { template: "raman", samples: 2 },
    ],
  },
  {
    name: "计量校准打包服务（几何量与力值）",
    nameEn: "Calibration package (dimensional and force)",
    purpose: "quality_inspection",
    provider: "geometry_lab",
    description: "企业检测实验室年度校准：量块、量规与测长，力值由省力学计量重点实验室校准。",
    discount: 0.8,
    items: [
      { template: "gauge_comparator", hours: 2 },
      { template: "length_machine", hours: 2 },
      { provider: "force_lab", template: "force_standard", hours: 3 },
    ],
  },
  {
    name: "电子电器EMC预测试套餐",
    nameEn: "Electronics EMC pre-compliance package",
    purpose: "certification",
    provider: "emc_lab",
    description: "送 CCC/CE 认证前的电磁兼容预测试与整改支持：暗室辐射发射、频谱与信号完整性分析。",
    discount: 0.75,
    items: [
      { template: "emc", hours: 4 },
      { template: "spectrum_analyzer", hours: 2 },
      { template: "oscilloscope", hours: 2 },
    ],
  },
  {
    name: "阿胶质量标准制定打包服务",
    nameEn: "Ejiao (donkey-hide gelatin) quality standard package",
    purpose: "standard_drafting",
    provider: "food_drug_institute",
    description: "阿胶及胶类产品企业标准制定所需检测：特征肽、氨基酸组成、重金属与元素、含量测定，市阿胶及中药材专业实验室协作。",
    discount: 0.6,
    items: [
      { template: "lcms", samples: 6 },
      { template: "hplc", samples: 6 },
      { provider: "ejiao_lab", template: "amino", samples: 6 },
      { provider: "ejiao_lab", template: "icp_ms", samples: 6 },
      { template: "aas", samples: 6 },
    ],
  },
];
