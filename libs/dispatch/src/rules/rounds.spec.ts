import { pickRound, ROUND_MAX_ORDERS } from './rounds';

describe('pickRound', () => {
  const o = (id: string, priority: 'normal' | 'urgent', windowStart: number) => ({ id, priority, windowStart });

  it('takes urgent orders first, then the earliest window, then id', () => {
    const { picked, more } = pickRound([
      o('c', 'normal', 10),
      o('b', 'normal', 5),
      o('z', 'urgent', 50),
      o('a', 'normal', 5),
    ]);
    expect(picked.map((p) => p.id)).toEqual(['z', 'a', 'b', 'c']);
    expect(more).toBe(false);
  });

  it('takes at most the round size and says that orders were left', () => {
    const pending = Array.from({ length: ROUND_MAX_ORDERS + 3 }, (_, i) =>
      o(`n${String(i).padStart(4, '0')}`, 'normal', i),
    );
    pending.push(o('late-urgent', 'urgent', 10_000));
    const { picked, more } = pickRound(pending);
    expect(picked).toHaveLength(ROUND_MAX_ORDERS);
    expect(picked[0].id).toBe('late-urgent');
    expect(more).toBe(true);
    expect(pickRound(pending, 2).picked.map((p) => p.id)).toEqual(['late-urgent', 'n0000']);
  });
});
