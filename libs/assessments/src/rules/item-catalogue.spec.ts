import {
  ASSISTANCE_SCALE,
  DIMENSIONS,
  DIMENSION_KEYS,
  ITEMS,
  ITEM_KEYS,
  MAX_TOTAL_SCORE,
  itemCatalogue,
  type ItemKey,
} from './item-catalogue';

describe('GB/T 42195-2022 item catalogue', () => {
  it('has the 26 items of the standard', () => {
    expect(ITEM_KEYS).toHaveLength(26);
    expect(new Set(ITEM_KEYS).size).toBe(26);
    expect(Object.keys(ITEMS)).toHaveLength(26);
  });

  it.each([
    ['selfCare', '自理能力', 32, 8],
    ['mobility', '基础运动能力', 15, 4],
    ['mentalState', '精神状态', 28, 9],
    ['perceptionSocial', '感知觉与社会参与', 15, 5],
  ] as const)('dimension %s (%s) has max %i over %i items', (key, zh, max, count) => {
    expect(DIMENSIONS[key].zh).toBe(zh);
    expect(DIMENSIONS[key].max).toBe(max);
    expect(DIMENSIONS[key].items).toHaveLength(count);
  });

  it('totals 90', () => {
    expect(MAX_TOTAL_SCORE).toBe(90);
  });

  const ranges: Array<[ItemKey, string, number]> = [
    ['eating', '进食', 4],
    ['grooming', '修饰', 4],
    ['bathing', '洗澡', 4],
    ['dressingUpper', '穿/脱上衣', 4],
    ['dressingLower', '穿/脱裤子和鞋袜', 4],
    ['urinaryControl', '小便控制', 4],
    ['bowelControl', '大便控制', 4],
    ['toileting', '如厕', 4],
    ['bedMobility', '床上体位转移', 4],
    ['bedChairTransfer', '床椅转移', 4],
    ['walking', '平地行走', 4],
    ['stairs', '上下楼梯', 3],
    ['timeOrientation', '时间定向', 4],
    ['placeOrientation', '空间定向', 4],
    ['personOrientation', '人物定向', 4],
    ['memory', '记忆', 4],
    ['comprehension', '理解能力', 4],
    ['expression', '表达能力', 4],
    ['aggression', '攻击行为', 1],
    ['depression', '抑郁症状', 1],
    ['consciousness', '意识水平', 2],
    ['vision', '视力', 2],
    ['hearing', '听力', 2],
    ['dailyAffairs', '执行日常事务', 4],
    ['transportation', '使用交通工具外出', 3],
    ['socialInteraction', '社会交往能力', 4],
  ];
  it.each(ranges)('%s (%s) ranges 0–%i with one option per score, best first', (key, zh, max) => {
    const def = ITEMS[key];
    expect(def.zh).toBe(zh);
    expect(def.min).toBe(0);
    expect(def.max).toBe(max);
    expect(def.options.map((o) => o.score)).toEqual(Array.from({ length: max + 1 }, (_, i) => max - i));
    for (const o of def.options) expect(o.zh.length).toBeGreaterThan(1);
  });

  it('uses the standard assistance scale for exactly the S5 items', () => {
    const s5 = ITEM_KEYS.filter((k) => ITEMS[k].assistanceScale);
    expect(s5).toEqual([
      'grooming',
      'bathing',
      'dressingUpper',
      'dressingLower',
      'toileting',
      'bedMobility',
      'bedChairTransfer',
    ]);
    for (const k of s5) expect(ITEMS[k].options).toBe(ASSISTANCE_SCALE);
    expect(ASSISTANCE_SCALE.map((o) => o.zh)).toEqual([
      '独立完成，不需要协助',
      '在他人指导或提示下完成',
      '需要他人协助，但以自身完成为主',
      '主要依靠他人协助，自身能给予配合',
      '完全依赖他人协助，且不能给予配合',
    ]);
  });

  it('numbers items B.<dimension>.<n> in order', () => {
    DIMENSION_KEYS.forEach((d, di) => {
      DIMENSIONS[d].items.forEach((k, ii) => {
        expect(ITEMS[k].code).toBe(`B.${di + 1}.${ii + 1}`);
        expect(ITEMS[k].dimension).toBe(d);
      });
    });
  });

  it('is served as a JSON-safe catalogue in the standard order', () => {
    const cat = itemCatalogue();
    const roundTrip = JSON.parse(JSON.stringify(cat)) as typeof cat;
    expect(roundTrip).toEqual(cat);
    expect(cat.maxTotal).toBe(90);
    expect(cat.dimensions.map((d) => d.key)).toEqual([...DIMENSION_KEYS]);
    expect(cat.dimensions.flatMap((d) => d.itemDefinitions.map((i) => i.key))).toEqual([...ITEM_KEYS]);
  });
});
