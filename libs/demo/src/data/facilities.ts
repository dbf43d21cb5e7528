/**
 * The county's elderly-care institutions: the 2020 baseline of the 13th plan and the projects of the 14th plan
 * (plan-figures.md; seed text 第二部分 (四) and 专栏 2).
 *
 * Baseline (reproduced exactly): 1 comprehensive welfare institute + 2 regional township nursing homes,
 * 142 beds, of which 67 nursing-type, all at the welfare institute (67/81 = 83 % there; 67/142 = 47.2 % county).
 * - 县社会福利院 in 会师镇: 81 beds, 67 nursing-type + 14 ordinary.
 * - 河畔中心敬老院 in 河畔镇: 22 ordinary beds — the plan's upgrade project says "原有 22 张".
 * - the second township home is not named by the plan; the demo puts it in 甘沟驿镇 (a town the plan builds nothing
 *   in, so it does not clash with a planned home) with the remaining 142 − 81 − 22 = 39 ordinary beds.
 *   Its room 114 (2 beds) is `closed`: beds out of service exist in real homes and must not be counted, and the
 *   demo shows that they are not. They are not part of the 142.
 *
 * Which facilities are `comprehensive` (具备综合功能: full-time care, day care, doorstep service, regional
 * coordination): the plan calls the welfare institute "综合性"; the township homes are 特困供养 homes without day
 * care or doorstep service, so they are not. Township coverage 2020 = 1/28.
 *
 * Planned projects are facilities with `status: 'planned'`, no beds and `plannedBeds` set — not closed beds: a
 * closed bed is a real bed taken out of service (停用) that a manager may reopen and admit someone to, and it would
 * appear in bed lists and floor plans; planned capacity does not exist yet. A planned facility is not
 * `comprehensive` until it opens (`plannedComprehensive` says what it will be), so it does not count toward
 * township coverage, and with no beds it is in no bed indicator. The bureau's next-steps view uses `plannedBeds`
 * (how many of them must be nursing-type to keep the share ≥ 55 %).
 *
 * Positions: every facility is placed a few hundred metres from its township's (mostly generated) position —
 * `coordinatesGenerated: true`.
 */
import type { DemoFacility, DemoRoom } from './types';
import { township } from './townships';

/** Rooms `${floor}01`…: `count` rooms of `size` beds, then one of `rest` beds when rest > 0. */
function rooms(
  floor: number,
  type: DemoRoom['type'],
  count: number,
  size: number,
  options: { rest?: number; building?: string; first?: number } = {},
): DemoRoom[] {
  const out: DemoRoom[] = [];
  const first = options.first ?? 1;
  const total = count + (options.rest ? 1 : 0);
  for (let i = 0; i < total; i++) {
    out.push({
      building: options.building,
      floor,
      room: `${floor}${String(first + i).padStart(2, '0')}`,
      type,
      beds: i < count ? size : (options.rest ?? 0),
    });
  }
  return out;
}

function near(code: string, dLat: number, dLng: number): { lat: number; lng: number } {
  const t = township(code);
  return { lat: Number((t.lat + dLat).toFixed(6)), lng: Number((t.lng + dLng).toFixed(6)) };
}

export const WELFARE_INSTITUTE_KEY = 'huining-welfare-institute';
export const HEPAN_HOME_KEY = 'hepan-central-nursing-home';
export const GANGOUYI_HOME_KEY = 'gangouyi-nursing-home';

const BASELINE_SOURCE =
  '会宁县"十四五"民政事业发展规划, 第一部分 (四): "十三五"末 1 所综合性社会福利院, 2 所区域性乡镇敬老院, 142 张床位';

export const FACILITIES: readonly DemoFacility[] = [
  {
    key: WELFARE_INSTITUTE_KEY,
    name: '会宁县社会福利院',
    type: 'welfare_institute',
    regionCode: '620422100',
    address: '会宁县会师镇',
    ...near('620422100', 0.0031, -0.0042),
    coordinatesGenerated: true,
    ownership: 'public',
    comprehensive: true,
    status: 'operating',
    plannedBeds: 0,
    // 67 nursing-type beds in rooms of 4 (≤ 6) on floors 1–2, 14 ordinary beds in rooms of 2 on floor 3.
    rooms: [
      ...rooms(1, 'nursing', 9, 4, { building: '1号楼' }), // 36
      ...rooms(2, 'nursing', 7, 4, { rest: 3, building: '1号楼' }), // 28 + 3 = 31
      ...rooms(3, 'ordinary', 7, 2, { building: '1号楼' }), // 14
    ],
    source: `${BASELINE_SOURCE}; 县社会福利院护理型床位 67 张, 占比 83%`,
  },
  {
    key: HEPAN_HOME_KEY,
    name: '会宁县河畔中心敬老院',
    type: 'nursing_home',
    regionCode: '620422102',
    address: '会宁县河畔镇',
    ...near('620422102', -0.0024, 0.0035),
    coordinatesGenerated: true,
    ownership: 'public',
    comprehensive: false,
    status: 'operating',
    // 专栏 2 (7): 建设床位 100 张 (原有 22 张, 新增 78 张)
    plannedBeds: 78,
    rooms: rooms(1, 'ordinary', 11, 2), // 22
    source: `${BASELINE_SOURCE}; 专栏 2 (7) 河畔中心敬老院改造提升项目: 原有 22 张, 新增 78 张`,
  },
  {
    key: GANGOUYI_HOME_KEY,
    name: '会宁县甘沟驿中心敬老院',
    type: 'nursing_home',
    regionCode: '620422105',
    address: '会宁县甘沟驿镇',
    ...near('620422105', 0.0027, 0.0021),
    coordinatesGenerated: true,
    ownership: 'public',
    comprehensive: false,
    status: 'operating',
    plannedBeds: 0,
    rooms: [
      ...rooms(1, 'ordinary', 13, 3), // 39
      { floor: 1, room: '114', type: 'ordinary', beds: 2, closed: { reason: '房屋安全隐患整改，暂停使用' } },
    ],
    source: `${BASELINE_SOURCE}; the plan does not name the second township home: demo choice of 甘沟驿镇, 142 − 81 − 22 = 39 beds`,
  },
  // ── projects of the 14th plan (专栏 2): not in service ──────────────────────────────────────────────────
  {
    key: 'county-elderly-care-centre',
    name: '会宁县养老服务中心',
    type: 'service_center',
    // "建设地点在柴家门卫生院以东" — read as 柴家门镇.
    regionCode: '620422107',
    address: '会宁县柴家门镇 柴家门卫生院以东',
    ...near('620422107', 0.0018, 0.0046),
    coordinatesGenerated: true,
    ownership: 'public',
    comprehensive: false,
    plannedComprehensive: true,
    status: 'planned',
    plannedBeds: 200,
    rooms: [],
    source: '专栏 2 (2) 会宁县养老服务中心建设项目: 设置床位数 200 张',
  },
  {
    key: 'county-central-nursing-home',
    name: '会宁县中心敬老院',
    type: 'nursing_home',
    regionCode: '620422100',
    address: '会宁县城',
    ...near('620422100', -0.0065, 0.0071),
    coordinatesGenerated: true,
    ownership: 'public',
    comprehensive: false,
    plannedComprehensive: false,
    status: 'planned',
    plannedBeds: 200,
    rooms: [],
    source: '专栏 2 (3) 会宁县中心敬老院建设项目: 新建 200 张床位',
  },
  {
    key: 'guochengyi-central-nursing-home',
    name: '郭城驿镇中心敬老院',
    type: 'nursing_home',
    regionCode: '620422101',
    address: '会宁县郭城驿镇',
    ...near('620422101', 0.0022, -0.003),
    coordinatesGenerated: true,
    ownership: 'public',
    comprehensive: false,
    plannedComprehensive: false,
    status: 'planned',
    plannedBeds: 200,
    rooms: [],
    source: '专栏 2 (4) 郭城驿镇中心敬老院建设项目: 新建 200 张床位',
  },
  {
    key: 'dangjiaxian-central-nursing-home',
    name: '党家岘乡中心敬老院',
    type: 'nursing_home',
    regionCode: '620422204',
    address: '会宁县党家岘乡',
    ...near('620422204', -0.0019, 0.0027),
    coordinatesGenerated: true,
    ownership: 'public',
    comprehensive: false,
    plannedComprehensive: false,
    status: 'planned',
    plannedBeds: 100,
    rooms: [],
    source: '专栏 2 (5) 党家岘乡中心敬老院建设项目: 新建 100 张床位',
  },
  {
    key: 'xinyuan-central-nursing-home',
    name: '新塬镇中心敬老院',
    type: 'nursing_home',
    regionCode: '620422121',
    address: '会宁县新塬镇',
    ...near('620422121', 0.0026, 0.0019),
    coordinatesGenerated: true,
    ownership: 'public',
    comprehensive: false,
    plannedComprehensive: false,
    status: 'planned',
    plannedBeds: 200,
    rooms: [],
    source: '专栏 2 (6) 新塬镇中心敬老院建设项目: 新建 200 张床位',
  },
];

export function facility(key: string): DemoFacility {
  const f = FACILITIES.find((x) => x.key === key);
  if (!f) throw new RangeError(`unknown facility ${key}`);
  return f;
}

/** The baseline figures the demo must reproduce (plan-figures.md). */
export const BASELINE_2020 = Object.freeze({
  institutions: 3,
  beds: 142,
  nursingBeds: 67,
  residents: 118,
  utilization: 0.831,
  welfareInstituteBeds: 81,
  welfareInstituteNursingShare: 0.83,
  welfareInstituteDestitute: 70,
  destituteFullCare: 16,
  destituteHalfCare: 47,
  servicePoints: 315,
  caregivers: 315,
  plannedNewBeds: 200 + 200 + 200 + 100 + 200 + 78,
});
