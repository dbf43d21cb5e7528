/**
 * GB/T 42195-2022 老年人能力评估规范 — the 26 items of the ability assessment (附录B 老年人能力评估表 B.1–B.4).
 *
 * Item keys are the ones the HTTP API uses (shared/spec/domain.md §1). Option wording is the standard's, as the
 * assessment form shows it to the assessor; items marked `assistanceScale` use the standard assistance scale
 * (独立完成 … 完全依赖他人协助). Pure data: no Nest, no TypeORM.
 */

export const DIMENSION_KEYS = ['selfCare', 'mobility', 'mentalState', 'perceptionSocial'] as const;
export type DimensionKey = (typeof DIMENSION_KEYS)[number];

export const ITEM_KEYS = [
  // selfCare 自理能力
  'eating',
  'grooming',
  'bathing',
  'dressingUpper',
  'dressingLower',
  'urinaryControl',
  'bowelControl',
  'toileting',
  // mobility 基础运动能力
  'bedMobility',
  'bedChairTransfer',
  'walking',
  'stairs',
  // mentalState 精神状态
  'timeOrientation',
  'placeOrientation',
  'personOrientation',
  'memory',
  'comprehension',
  'expression',
  'aggression',
  'depression',
  'consciousness',
  // perceptionSocial 感知觉与社会参与
  'vision',
  'hearing',
  'dailyAffairs',
  'transportation',
  'socialInteraction',
] as const;
export type ItemKey = (typeof ITEM_KEYS)[number];

/** One integer score per item, keyed as in the API. */
export type AssessmentItems = Record<ItemKey, number>;

export interface ScoreOption {
  readonly score: number;
  /** The standard's wording for this score, as the form shows it. */
  readonly zh: string;
}

export interface ItemDefinition {
  readonly key: ItemKey;
  /** Number of the item in the standard's assessment tables, e.g. `B.1.1`. */
  readonly code: string;
  readonly dimension: DimensionKey;
  readonly zh: string;
  readonly en: string;
  /** What the item measures, in the standard's words. */
  readonly definitionZh: string;
  /** The standard's note (注) on the item, where it has one. */
  readonly noteZh?: string;
  readonly min: 0;
  readonly max: number;
  /** True when the options are the standard assistance scale (S5). */
  readonly assistanceScale: boolean;
  /** Options best score first, as on the form. */
  readonly options: readonly ScoreOption[];
}

export interface DimensionDefinition {
  readonly key: DimensionKey;
  /** Number of the standard's table, e.g. `B.1`. */
  readonly code: string;
  readonly zh: string;
  readonly en: string;
  readonly max: number;
  readonly items: readonly ItemKey[];
}

/** The standard assistance scale (S5) used by 10 of the self-care and mobility items. */
export const ASSISTANCE_SCALE: readonly ScoreOption[] = [
  { score: 4, zh: '独立完成，不需要协助' },
  { score: 3, zh: '在他人指导或提示下完成' },
  { score: 2, zh: '需要他人协助，但以自身完成为主' },
  { score: 1, zh: '主要依靠他人协助，自身能给予配合' },
  { score: 0, zh: '完全依赖他人协助，且不能给予配合' },
];

type ItemSpec = Omit<ItemDefinition, 'min' | 'max' | 'options' | 'assistanceScale'> &
  ({ assistanceScale: true } | { assistanceScale: false; options: readonly ScoreOption[] });

function item(spec: ItemSpec): ItemDefinition {
  const options = spec.assistanceScale ? ASSISTANCE_SCALE : spec.options;
  return { ...spec, options, min: 0, max: Math.max(...options.map((o) => o.score)) };
}

const ITEM_LIST: readonly ItemDefinition[] = [
  // ── B.1 自理能力 ────────────────────────────────────────────────────────────
  item({
    key: 'eating',
    code: 'B.1.1',
    dimension: 'selfCare',
    zh: '进食',
    en: 'Eating',
    definitionZh: '使用适当的器具将食物送入口中并咽下',
    assistanceScale: false,
    options: [
      { score: 4, zh: '独立使用器具将食物送进口中并咽下，没有呛咳' },
      { score: 3, zh: '在他人指导或提示下完成，或独立使用辅具，没有呛咳' },
      { score: 2, zh: '进食中需要少量接触式协助，偶尔（每月一次及以上）呛咳' },
      { score: 1, zh: '在进食中需要大量接触式协助，经常（每周一次及以上）呛咳' },
      { score: 0, zh: '完全依赖他人协助进食，或吞咽困难，或留置营养管' },
    ],
  }),
  item({
    key: 'grooming',
    code: 'B.1.2',
    dimension: 'selfCare',
    zh: '修饰',
    en: 'Grooming',
    definitionZh: '指洗脸、刷牙、梳头、刮脸、剪指（趾）甲等',
    assistanceScale: true,
  }),
  item({
    key: 'bathing',
    code: 'B.1.3',
    dimension: 'selfCare',
    zh: '洗澡',
    en: 'Bathing',
    definitionZh: '清洗和擦干身体',
    assistanceScale: true,
  }),
  item({
    key: 'dressingUpper',
    code: 'B.1.4',
    dimension: 'selfCare',
    zh: '穿/脱上衣',
    en: 'Dressing (upper body)',
    definitionZh: '指穿/脱上身衣服、系扣、拉拉链等',
    assistanceScale: true,
  }),
  item({
    key: 'dressingLower',
    code: 'B.1.5',
    dimension: 'selfCare',
    zh: '穿/脱裤子和鞋袜',
    en: 'Dressing (trousers, shoes and socks)',
    definitionZh: '指穿/脱裤子、鞋袜等',
    assistanceScale: true,
  }),
  item({
    key: 'urinaryControl',
    code: 'B.1.6',
    dimension: 'selfCare',
    zh: '小便控制',
    en: 'Urinary control',
    definitionZh: '控制和排出尿液的能力',
    assistanceScale: false,
    options: [
      { score: 4, zh: '可自行控制排尿，排尿次数、排尿控制均正常' },
      {
        score: 3,
        zh: '白天可自行控制排尿次数，夜间出现排尿次数增多、排尿控制较差，或自行使用尿布、尿垫等辅助用物',
      },
      {
        score: 2,
        zh: '白天大部分时间可自行控制排尿，偶出现（每天<1次，但每周>1次）尿失禁，夜间控制排尿较差，或他人少量协助使用尿布、尿垫等辅助用物',
      },
      {
        score: 1,
        zh: '白天大部分时间不能控制排尿（每天≥1次，但尚非完全失控），夜间出现尿失禁，或他人大量协助使用尿布、尿垫等辅助用物',
      },
      { score: 0, zh: '小便失禁，完全不能控制排尿，或留置导尿管' },
    ],
  }),
  item({
    key: 'bowelControl',
    code: 'B.1.7',
    dimension: 'selfCare',
    zh: '大便控制',
    en: 'Bowel control',
    definitionZh: '控制和排出粪便的能力',
    assistanceScale: false,
    options: [
      { score: 4, zh: '可正常自行控制大便排出' },
      { score: 3, zh: '有时出现（每周<1次）便秘或大便失禁，或自行使用开塞露、尿垫等辅助用物' },
      {
        score: 2,
        zh: '经常出现（每天<1次，但每周>1次）便秘或大便失禁，或他人少量协助使用开塞露、尿垫等辅助用物',
      },
      {
        score: 1,
        zh: '大部分时间均出现（每天≥1次）便秘或大便失禁，但尚非完全失控，或他人大量协助使用开塞露、尿垫等辅助用物',
      },
      { score: 0, zh: '严重便秘或者完全大便失禁，需要依赖他人协助排便或清洁皮肤' },
    ],
  }),
  item({
    key: 'toileting',
    code: 'B.1.8',
    dimension: 'selfCare',
    zh: '如厕',
    en: 'Toileting',
    definitionZh: '上厕所排泄大小便，并清洁身体',
    noteZh: '评估中强调排泄前解开裤子、完成排泄后清洁身体、穿上裤子',
    assistanceScale: true,
  }),

  // ── B.2 基础运动能力 ────────────────────────────────────────────────────────
  item({
    key: 'bedMobility',
    code: 'B.2.1',
    dimension: 'mobility',
    zh: '床上体位转移',
    en: 'Changing position in bed',
    definitionZh: '卧床翻身及坐起躺下',
    assistanceScale: true,
  }),
  item({
    key: 'bedChairTransfer',
    code: 'B.2.2',
    dimension: 'mobility',
    zh: '床椅转移',
    en: 'Bed–chair transfer',
    definitionZh: '从坐位到站位，再从站位到坐位的转换过程',
    assistanceScale: true,
  }),
  item({
    key: 'walking',
    code: 'B.2.3',
    dimension: 'mobility',
    zh: '平地行走',
    en: 'Walking on level ground',
    definitionZh: '双脚交互的方式在地面行动，总是一只脚在前',
    noteZh: '包括他人辅助和使用辅助工具的步行',
    assistanceScale: false,
    options: [
      { score: 4, zh: '独立平地步行50 m左右，不需要协助，无摔倒风险' },
      {
        score: 3,
        zh: '能平地步行50 m左右，存在摔倒风险，需要他人监护或指导，或使用拐杖、助行器等辅助工具',
      },
      { score: 2, zh: '在步行时需要他人少量扶持协助' },
      { score: 1, zh: '在步行时需要他人大量扶持协助' },
      { score: 0, zh: '完全不能步行' },
    ],
  }),
  item({
    key: 'stairs',
    code: 'B.2.4',
    dimension: 'mobility',
    zh: '上下楼梯',
    en: 'Going up and down stairs',
    definitionZh: '双脚交替完成楼梯台阶连续的上下移动',
    assistanceScale: false,
    options: [
      { score: 3, zh: '可独立上下楼梯（连续上下10个～15个台阶），不需要协助' },
      { score: 2, zh: '在他人指导或提示下完成' },
      { score: 1, zh: '需要他人协助，但以自身完成为主' },
      { score: 0, zh: '主要依靠他人协助，自身能给予配合；或者完全依赖他人协助，且不能给予配合' },
    ],
  }),

  // ── B.3 精神状态 ───────────────────────────────────────────────────────────
  item({
    key: 'timeOrientation',
    code: 'B.3.1',
    dimension: 'mentalState',
    zh: '时间定向',
    en: 'Orientation to time',
    definitionZh: '知道并确认时间的能力',
    assistanceScale: false,
    options: [
      { score: 4, zh: '时间观念（年、月）清楚，日期（或星期几）可相差一天' },
      { score: 3, zh: '时间观念有些下降，年、月、日（或星期几）不能全部分清（相差两天或以上）' },
      { score: 2, zh: '时间观念较差，年、月、日不清楚，可知上半年或下半年或季节' },
      { score: 1, zh: '时间观念很差，年、月、日不清楚，可知上午、下午或白天、夜间' },
      { score: 0, zh: '无时间观念' },
    ],
  }),
  item({
    key: 'placeOrientation',
    code: 'B.3.2',
    dimension: 'mentalState',
    zh: '空间定向',
    en: 'Orientation to place',
    definitionZh: '知道并确认空间的能力',
    assistanceScale: false,
    options: [
      { score: 4, zh: '能在日常生活范围内单独外出，如在日常居住小区内独自外出购物等' },
      { score: 3, zh: '不能单独外出，但能准确知道自己日常生活所在地的地址信息' },
      { score: 2, zh: '不能单独外出，但知道较多有关自己日常生活的地址信息' },
      { score: 1, zh: '不能单独外出，但知道较少自己居住或生活所在地的地址信息' },
      { score: 0, zh: '不能单独外出，无空间观念' },
    ],
  }),
  item({
    key: 'personOrientation',
    code: 'B.3.3',
    dimension: 'mentalState',
    zh: '人物定向',
    en: 'Orientation to people',
    definitionZh: '知道并确认人物的能力',
    assistanceScale: false,
    options: [
      { score: 4, zh: '认识长期共同一起生活的人，能称呼并知道关系' },
      { score: 3, zh: '能认识大部分共同生活居住的人，能称呼或知道关系' },
      { score: 2, zh: '能认识部分日常同住的亲人或照护者等，能称呼或知道关系等' },
      { score: 1, zh: '只认识自己或极少数日常同住的亲人或照护者等' },
      { score: 0, zh: '不认识任何人（包括自己）' },
    ],
  }),
  item({
    key: 'memory',
    code: 'B.3.4',
    dimension: 'mentalState',
    zh: '记忆',
    en: 'Memory',
    definitionZh: '短时、近期和远期记忆能力',
    assistanceScale: false,
    options: [
      { score: 4, zh: '总是能保持与社会、年龄所适应的记忆能力，能完整的回忆' },
      {
        score: 3,
        zh: '出现轻度的记忆紊乱或回忆不能（不能回忆即时信息，3个词语经过5分钟后仅能回忆0个～1个）',
      },
      { score: 2, zh: '出现中度的记忆紊乱或回忆不能（不能回忆近期记忆，不记得上一顿饭吃了什么）' },
      { score: 1, zh: '出现重度的记忆紊乱或回忆不能（不能回忆远期记忆，不记得自己的老朋友）' },
      { score: 0, zh: '记忆完全紊乱或者完全不能对既往事物进行正确的回忆' },
    ],
  }),
  item({
    key: 'comprehension',
    code: 'B.3.5',
    dimension: 'mentalState',
    zh: '理解能力',
    en: 'Comprehension',
    definitionZh: '理解语言信息和非语言信息的能力（可借助平时使用助听设备等），即理解别人的话',
    assistanceScale: false,
    options: [
      { score: 4, zh: '能正常理解他人的话' },
      { score: 3, zh: '能理解他人的话，但需要增加时间' },
      { score: 2, zh: '理解有困难，需频繁重复或简化口头表达' },
      { score: 1, zh: '理解有严重困难，需要大量他人帮助' },
      { score: 0, zh: '完全不能理解他人的话' },
    ],
  }),
  item({
    key: 'expression',
    code: 'B.3.6',
    dimension: 'mentalState',
    zh: '表达能力',
    en: 'Expression',
    definitionZh: '表达信息能力，包括口头的和非口头的，即表达自己的想法',
    assistanceScale: false,
    options: [
      { score: 4, zh: '能正常表达自己的想法' },
      { score: 3, zh: '能表达自己的需要，但需要增加时间' },
      { score: 2, zh: '表达需要有困难，需频繁重复或简化口头表达' },
      { score: 1, zh: '表达有严重困难，需要大量他人帮助' },
      { score: 0, zh: '完全不能表达需要' },
    ],
  }),
  item({
    key: 'aggression',
    code: 'B.3.7',
    dimension: 'mentalState',
    zh: '攻击行为',
    en: 'Aggressive behaviour',
    definitionZh: '身体攻击行为（如打/踢/推/咬/抓/摔东西）和语言攻击行为（如骂人、语言威胁、尖叫）',
    noteZh: '长期的行为状态',
    assistanceScale: false,
    options: [
      { score: 1, zh: '未出现' },
      { score: 0, zh: '近一个月内出现过攻击行为' },
    ],
  }),
  item({
    key: 'depression',
    code: 'B.3.8',
    dimension: 'mentalState',
    zh: '抑郁症状',
    en: 'Depressive symptoms',
    definitionZh: '存在情绪低落、兴趣减退、活力减退等症状，甚至出现妄想、幻觉、自杀念头或自杀行为',
    noteZh: '长期的负性情绪',
    assistanceScale: false,
    options: [
      { score: 1, zh: '未出现' },
      { score: 0, zh: '近一个月内出现过负性情绪' },
    ],
  }),
  item({
    key: 'consciousness',
    code: 'B.3.9',
    dimension: 'mentalState',
    zh: '意识水平',
    en: 'Level of consciousness',
    definitionZh: '机体对自身和周围环境的刺激做出应答反应的能力程度，包括清醒和持续的觉醒状态',
    noteZh: '处于昏迷状态者，直接评定为能力完全丧失',
    assistanceScale: false,
    options: [
      { score: 2, zh: '神志清醒，对周围环境能做出正确反应' },
      {
        score: 1,
        zh: '嗜睡，表现为睡眠状态过度延长。当呼唤或推动老年人的肢体时可唤醒，并能进行正确的交谈或执行指令，停止刺激后又继续入睡；意识模糊，注意力涣散，对外界刺激不能清晰的认识，空间和时间定向力障碍，理解力迟钝，记忆力模糊和不连贯',
      },
      {
        score: 0,
        zh: '昏睡，一般的外界刺激不能使其觉醒，给予较强烈的刺激时可有短时的意识清醒，醒后可简短回答提问，当刺激减弱后又很快进入睡眠状态；或者昏迷：意识丧失，随意运动丧失，呼之不应，对一般刺激全无反应',
      },
    ],
  }),

  // ── B.4 感知觉与社会参与 ───────────────────────────────────────────────────
  item({
    key: 'vision',
    code: 'B.4.1',
    dimension: 'perceptionSocial',
    zh: '视力',
    en: 'Vision',
    definitionZh: '感受存在的光线并感受物体的大小、形状的能力。在个体的最好矫正视力下进行评估',
    assistanceScale: false,
    options: [
      { score: 2, zh: '视力正常' },
      { score: 1, zh: '能看清楚大字体，但看不清书报上的标准字体；视力有限，看不清报纸大标题，但能辨认物体' },
      { score: 0, zh: '只能看到光、颜色和形状；完全失明' },
    ],
  }),
  item({
    key: 'hearing',
    code: 'B.4.2',
    dimension: 'perceptionSocial',
    zh: '听力',
    en: 'Hearing',
    definitionZh: '能辨别声音的方位、音调、音量和音质的有关能力（可借助平时使用助听设备等）',
    assistanceScale: false,
    options: [
      { score: 2, zh: '听力正常' },
      {
        score: 1,
        zh: '在轻声说话或说话距离超过2 m时听不清；正常交流有些困难，需在安静的环境或大声说话才能听到',
      },
      { score: 0, zh: '讲话者大声说话或说话很慢，才能部分听见；完全失聪' },
    ],
  }),
  item({
    key: 'dailyAffairs',
    code: 'B.4.3',
    dimension: 'perceptionSocial',
    zh: '执行日常事务',
    en: 'Managing daily affairs',
    definitionZh: '计划、安排并完成日常事务，包括但不限于洗衣服、小金额购物、服药管理',
    assistanceScale: false,
    options: [
      { score: 4, zh: '能完全独立计划、安排和完成日常事务，无需协助' },
      { score: 3, zh: '在计划、安排和完成日常事务时需要他人监护或指导' },
      { score: 2, zh: '在计划、安排和完成日常事务时需要少量协助' },
      { score: 1, zh: '在计划、安排和完成日常事务时需要大量协助' },
      { score: 0, zh: '完全依赖他人进行日常事务' },
    ],
  }),
  item({
    key: 'transportation',
    code: 'B.4.4',
    dimension: 'perceptionSocial',
    zh: '使用交通工具外出',
    en: 'Going out by transport',
    definitionZh: '使用交通工具外出',
    assistanceScale: false,
    options: [
      { score: 3, zh: '能自己骑车或搭乘公共交通工具外出' },
      { score: 2, zh: '能自己搭乘出租车，但不会搭乘其他公共交通工具外出' },
      { score: 1, zh: '当有人协助或陪伴，可搭乘公共交通工具外出' },
      { score: 0, zh: '只能在他人协助下搭乘出租车或私家车外出；完全不能出门，或者外出完全需要协助' },
    ],
  }),
  item({
    key: 'socialInteraction',
    code: 'B.4.5',
    dimension: 'perceptionSocial',
    zh: '社会交往能力',
    en: 'Social interaction',
    definitionZh: '社会交往能力',
    assistanceScale: false,
    options: [
      { score: 4, zh: '参与社会，在社会环境有一定的适应能力，待人接物恰当' },
      { score: 3, zh: '能适应单纯环境，主动接触他人，初见面时难让人发现智力问题，不能理解隐喻语' },
      { score: 2, zh: '脱离社会，可被动接触，不会主动待人，谈话中很多不适词句，容易上当受骗' },
      { score: 1, zh: '勉强可与他人接触，谈吐内容不清楚，表情不恰当' },
      { score: 0, zh: '不能与人交往' },
    ],
  }),
];

/** Item definitions keyed by item key. */
export const ITEMS: Readonly<Record<ItemKey, ItemDefinition>> = Object.freeze(
  Object.fromEntries(ITEM_LIST.map((d) => [d.key, d])) as Record<ItemKey, ItemDefinition>,
);

const DIMENSION_META: Record<DimensionKey, { code: string; zh: string; en: string }> = {
  selfCare: { code: 'B.1', zh: '自理能力', en: 'Self-care' },
  mobility: { code: 'B.2', zh: '基础运动能力', en: 'Basic mobility' },
  mentalState: { code: 'B.3', zh: '精神状态', en: 'Mental state' },
  perceptionSocial: { code: 'B.4', zh: '感知觉与社会参与', en: 'Perception and social participation' },
};

/** Dimensions in the standard's order, each with its items and its maximum score. */
export const DIMENSIONS: Readonly<Record<DimensionKey, DimensionDefinition>> = Object.freeze(
  Object.fromEntries(
    DIMENSION_KEYS.map((key) => {
      const items = ITEM_LIST.filter((d) => d.dimension === key);
      const def: DimensionDefinition = {
        key,
        ...DIMENSION_META[key],
        max: items.reduce((sum, d) => sum + d.max, 0),
        items: items.map((d) => d.key),
      };
      return [key, def];
    }),
  ) as Record<DimensionKey, DimensionDefinition>,
);

export const MAX_TOTAL_SCORE = DIMENSION_KEYS.reduce((sum, k) => sum + DIMENSIONS[k].max, 0);

export interface ItemCatalogue {
  readonly standard: { readonly code: 'GB/T 42195-2022'; readonly zh: '老年人能力评估规范' };
  readonly maxTotal: number;
  readonly assistanceScale: readonly ScoreOption[];
  readonly dimensions: ReadonlyArray<DimensionDefinition & { readonly itemDefinitions: readonly ItemDefinition[] }>;
}

/** The whole catalogue as a client fetches it to build an assessment form. */
export function itemCatalogue(): ItemCatalogue {
  return {
    standard: { code: 'GB/T 42195-2022', zh: '老年人能力评估规范' },
    maxTotal: MAX_TOTAL_SCORE,
    assistanceScale: ASSISTANCE_SCALE,
    dimensions: DIMENSION_KEYS.map((k) => ({
      ...DIMENSIONS[k],
      itemDefinitions: DIMENSIONS[k].items.map((i) => ITEMS[i]),
    })),
  };
}

export function isItemKey(key: string): key is ItemKey {
  return (ITEM_KEYS as readonly string[]).includes(key);
}
