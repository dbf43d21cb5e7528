/**
 * Name pools for generated people. Surnames common in Huining and central Gansu; given names typical of the
 * generations born 1925–1975. Any match with a real person is chance: every demo person is invented.
 */
import type { Random } from './prng';
import type { Gender } from './types';

const SURNAMES = [
  '张',
  '王',
  '李',
  '刘',
  '杨',
  '陈',
  '赵',
  '马',
  '魏',
  '郭',
  '何',
  '白',
  '田',
  '牛',
  '董',
  '徐',
  '孙',
  '周',
  '吴',
  '罗',
  '高',
  '苏',
  '汪',
  '万',
  '柴',
  '侯',
  '党',
  '姚',
  '曹',
  '冯',
  '韩',
  '景',
  '雒',
  '岳',
  '包',
  '常',
] as const;

const MALE_GIVEN = [
  '德',
  '福',
  '贵',
  '明',
  '成',
  '有',
  '生',
  '发',
  '海',
  '宝',
  '全',
  '忠',
  '兴',
  '林',
  '山',
  '志',
  '国',
  '文',
  '世',
  '俊',
  '祥',
  '荣',
  '仁',
  '义',
  '正',
  '学',
  '元',
  '春',
  '建',
  '平',
] as const;

const FEMALE_GIVEN = [
  '秀',
  '兰',
  '英',
  '花',
  '桂',
  '芳',
  '梅',
  '玉',
  '珍',
  '凤',
  '琴',
  '霞',
  '莲',
  '翠',
  '娥',
  '香',
  '芝',
  '菊',
  '萍',
  '琼',
  '彩',
  '云',
  '爱',
  '淑',
  '巧',
  '润',
  '存',
  '金',
  '银',
  '粉',
] as const;

export function personName(rng: Random, gender: Gender): string {
  const pool = gender === 'male' ? MALE_GIVEN : FEMALE_GIVEN;
  const given = rng.chance(0.7) ? rng.pick(pool) + rng.pick(pool) : rng.pick(pool);
  return rng.pick(SURNAMES) + given;
}

const VILLAGE_FIRST = ['东', '西', '南', '北', '中', '上', '下', '前', '后', '新', '大', '小'] as const;
const VILLAGE_SECOND = ['湾', '岔', '川', '塬', '沟', '庄', '堡', '坪', '岘', '河', '台', '咀'] as const;

/** An invented village address inside a township. */
export function villageAddress(rng: Random, townshipName: string): string {
  return `会宁县${townshipName}${rng.pick(VILLAGE_FIRST)}${rng.pick(VILLAGE_SECOND)}村${rng.int(1, 12)}社${rng.int(1, 60)}号`;
}

/** An 11-digit mobile number with a real-looking prefix; generated, not anyone's. */
export function mobileNumber(rng: Random): string {
  return `1${rng.pick(['39', '51', '77', '89', '93'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
}
