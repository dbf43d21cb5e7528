// GB 11643-1999 resident ID number: 17 digits + check character (domain.md §4). Client-side check only
// for quick feedback; the API validates again.
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function checkIdNumber(raw: string): string | null {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return '公民身份号码应为18位（末位可为X）';
  const s = W.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  if (CHECK[s % 11] !== id[17]) return '公民身份号码校验位不正确';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d ||
    date.getTime() > Date.now()
  ) {
    return '公民身份号码中的出生日期无效';
  }
  return null;
}

export function genderFromId(id: string): 'male' | 'female' | null {
  const c = id.trim()[16];
  if (!c || !/\d/.test(c)) return null;
  return Number(c) % 2 === 1 ? 'male' : 'female';
}
