// The words users see, from shared/spec/glossary.md. Chinese first; codes stay in the API.

import { SERVICE_CATALOGUE } from '@care/care-orders/catalogue';
import type {
  BedStatus,
  BedType,
  Category,
  DischargeReason,
  FacilityType,
  OrderStatus,
  Role,
  UnassignedReason,
} from '../api/types';

export const ROLE_LABEL: Record<Role, string> = {
  admin: '系统管理员',
  bureau: '县民政局',
  manager: '机构管理员',
  dispatcher: '派单调度员',
  caregiver: '护理员',
  integration: '接口账号 (一键通网关)',
};

export const FACILITY_TYPE_LABEL: Record<FacilityType, string> = {
  welfare_institute: '社会福利院',
  nursing_home: '敬老院/养老院',
  service_center: '区域综合养老服务中心',
  community_station: '居家和社区养老服务站',
};

export const BED_TYPE_LABEL: Record<BedType, string> = { nursing: '护理型床位', ordinary: '普通床位' };
export const BED_TYPE_SHORT: Record<BedType, string> = { nursing: '护理型', ordinary: '普通' };

export const BED_STATUS_LABEL: Record<BedStatus, string> = {
  vacant: '空闲',
  occupied: '已入住',
  reserved: '已预留',
  maintenance: '维修中',
  closed: '停用',
};

export const GENDER_LABEL: Record<string, string> = { male: '男', female: '女' };

export const CATEGORY_LABEL: Record<Category, string> = {
  destitute: '特困人员',
  low_income: '低保对象',
  economic_hardship: '经济困难老年人',
  disabled: '残疾人',
  empty_nest: '空巢',
  living_alone: '独居',
  left_behind: '留守',
  family_planning_special: '计划生育特殊家庭',
  special_contribution: '作出特殊贡献的老年人',
};
export const CATEGORIES = Object.keys(CATEGORY_LABEL) as Category[];

export const LEVEL_LABEL = ['能力完好', '轻度失能', '中度失能', '重度失能', '完全失能'];

export const DISCHARGE_REASON_LABEL: Record<DischargeReason, string> = {
  deceased: '去世',
  returned_home: '返回家中',
  transferred_out: '转出至其他机构',
  other: '其他',
};

export const ORDER_STATUS_LABEL: Record<OrderStatus, string> = {
  pending: '待派单',
  assigned: '已派单',
  accepted: '已接单',
  in_progress: '服务中',
  completed: '已完成',
  unassigned: '无法派单',
  cancelled: '已取消',
  incomplete: '未完成',
};
export const ORDER_STATUSES = Object.keys(ORDER_STATUS_LABEL) as OrderStatus[];

/** Badge colour per order status. */
export const STATUS_TONE: Record<OrderStatus, string> = {
  pending: 'grey',
  assigned: 'blue',
  accepted: 'cyan',
  in_progress: 'amber',
  completed: 'green',
  unassigned: 'red',
  cancelled: 'grey',
  incomplete: 'red',
};

export const UNASSIGNED_REASON_LABEL: Record<UnassignedReason, string> = {
  NO_SKILLED_CAREGIVER: '无具备所需技能的护理员',
  OUT_OF_SERVICE_CIRCLE: '老人不在任何服务圈内',
  NO_CAPACITY: '护理员当日已排满',
  RESIDENT_NOT_AT_HOME: '老人不在家',
};

export const VISIT_FLAG_LABEL: Record<string, string> = {
  early: '提前签到',
  late: '迟到签到',
  far: '签到位置偏离住址',
  no_location: '签到未定位',
  proxy: '代签（非本人操作）',
  clock: '手机时间异常',
};

/** Service catalogue defaults (domain.md §5); GET /services overrides names when the role may read it. */
/** Service names from the server's one service catalogue (libs/care-orders/src/rules/service-catalogue.ts). */
export const SERVICE_LABEL: Record<string, string> = Object.fromEntries(SERVICE_CATALOGUE.map((s) => [s.code, s.name]));

export const SKILL_LABEL: Record<string, string> = {
  housekeeping: '家政',
  personal_care: '生活照料',
  health: '健康监测',
  escort: '陪同就医',
  nursing: '护理',
};

export interface IndicatorMeta {
  label: string;
  /** fraction shown as a percentage, or a plain number */
  unit: 'percent' | 'number';
  hint: string;
}

export const INDICATOR_META: Record<string, IndicatorMeta> = {
  nursing_bed_share: { label: '护理型床位占比', unit: 'percent', hint: '护理型床位 ÷ 在用床位（养老机构）' },
  bed_utilization: { label: '床位利用率', unit: 'percent', hint: '已入住床位 ÷ 在用床位（2020年基数 83.1%）' },
  township_comprehensive_coverage: {
    label: '乡镇综合养老机构覆盖率',
    unit: 'percent',
    hint: '有具备综合功能养老机构的乡镇 ÷ 全部乡镇',
  },
  doorstep_visit_coverage: { label: '上门探访覆盖率', unit: 'percent', hint: '当月完成3次探访的对象 ÷ 应探访对象' },
  service_circle_coverage: { label: '服务圈覆盖率', unit: 'percent', hint: '处于服务网点服务圈内的对象 ÷ 应服务对象' },
  assessment_coverage: { label: '能力评估覆盖率', unit: 'percent', hint: '有有效能力评估的老人 ÷ 应评估老人' },
  social_workers_per_100_beds: { label: '每百张床位社工数', unit: 'number', hint: '社会工作者 ÷ 在用床位 × 100' },
};

export function indicatorLabel(key: string): string {
  return INDICATOR_META[key]?.label ?? key;
}

/** Chinese wording for the error codes the contract names; the server's `message` is shown beside it. */
export const ERROR_CODE_LABEL: Record<string, string> = {
  BED_OCCUPIED: '床位已被占用',
  BED_UNAVAILABLE: '床位维修中或已停用',
  BED_LABEL_TAKEN: '该房间已有同名床位',
  RESIDENT_ALREADY_ADMITTED: '该老人已在院入住',
  NURSING_BED_REQUIRED: '该老人失能等级需入住护理型床位，如确需安排请填写原因',
  GENDER_MISMATCH: '床位性别与老人不符',
  RESIDENT_EXISTS: '该公民身份号码已登记',
  USERNAME_TAKEN: '用户名已被使用',
  INVALID_TRANSITION: '工单当前状态不允许此操作',
  IDEMPOTENCY_KEY_REUSED: '重复提交的请求内容不一致',
  VALIDATION_FAILED: '填写内容有误',
  NETWORK_ERROR: '网络错误',
  HTTP_401: '登录已失效，请重新登录',
  HTTP_403: '当前角色无权执行此操作',
  HTTP_404: '未找到相应记录',
};

export function errorText(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const { code, message, statusCode } = e as { code: string; message: string; statusCode: number };
    const zh =
      ERROR_CODE_LABEL[code] ??
      (statusCode === 403 ? ERROR_CODE_LABEL.HTTP_403 : statusCode === 404 ? ERROR_CODE_LABEL.HTTP_404 : '');
    if (!zh) return `操作失败：${message}`;
    return message && message !== zh ? `${zh}（${message}）` : zh;
  }
  if (e instanceof Error) return `操作失败：${e.message}`;
  return '操作失败';
}

export const TIER_LABEL: Record<number, string> = { 1: '第一优先', 2: '第二优先', 3: '第三优先', 4: '一般轮候' };

export function reasonLabel(r: string): string {
  return (
    (CATEGORY_LABEL as Record<string, string>)[r] ??
    (
      {
        DESTITUTE_NEEDS_CARE: '失能特困人员',
        FAMILY_PLANNING_SPECIAL: '计划生育特殊家庭',
        SPECIAL_CONTRIBUTION: '作出特殊贡献',
        ECONOMIC_HARDSHIP: '经济困难',
        LOW_INCOME: '低保对象',
        LIVING_ALONE: '独居',
        IMPAIRED: '失能/半失能',
        DISABLED: '残疾',
        AGED_80_PLUS: '高龄(80岁以上)',
        GENERAL: '一般轮候',
        NO_VALID_ASSESSMENT: '无有效能力评估',
        NURSING_BED_NEEDED: '护理型床位，符合失能老人入住要求',
        ORDINARY_BED_PREFERRED: '普通床位，适合能力完好或轻度失能老人',
        NURSING_BED_KEPT_FOR_NEED: '护理型床位宜留给失能老人',
        GENDER_MATCH: '性别相符',
        NO_GENDER_RESTRICTION: '床位不限性别',
      } as Record<string, string>
    )[r] ??
    r
  );
}
