import { describe, expect, it } from '@jest/globals';
import { fullIdNumberOf, residentRef } from './residentRef';

describe('console: naming a picked resident', () => {
  it('sends the full ID number for a resident found by the desk look-up, the id otherwise', () => {
    expect(residentRef({ id: 'r1', lookupIdNumber: '11010519491231002X' })).toEqual({ idNumber: '11010519491231002X' });
    expect(residentRef({ id: 'r1' })).toEqual({ residentId: 'r1' });
  });

  it('looks up exactly only a whole valid number; names and parts search by name', () => {
    expect(fullIdNumberOf(' 11010519491231002x ')).toBe('11010519491231002X');
    expect(fullIdNumberOf('110105194912310021')).toBeNull(); // wrong check character
    expect(fullIdNumberOf('002X')).toBeNull(); // the old "last 4" search is gone with the new masked form
    expect(fullIdNumberOf('张桂兰')).toBeNull();
    expect(fullIdNumberOf('')).toBeNull();
  });
});
