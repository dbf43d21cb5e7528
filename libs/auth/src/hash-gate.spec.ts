import { HashGate, HashGateBusy } from './hash-gate';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('HashGate', () => {
  it('runs at most `concurrency` at once and lets waiters in as slots free up', async () => {
    const gate = new HashGate(2, 10, 1000);
    const blockers = [deferred(), deferred(), deferred()];
    let peak = 0;
    let active = 0;
    const results = blockers.map((b, i) =>
      gate.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await b.promise;
        active--;
        return i;
      }),
    );
    await Promise.resolve();
    expect(gate.load).toEqual({ running: 2, waiting: 1 });
    blockers.forEach((b) => b.resolve());
    await expect(Promise.all(results)).resolves.toEqual([0, 1, 2]);
    expect(peak).toBe(2);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses at once beyond the queue, and a waiter whose time runs out', async () => {
    const gate = new HashGate(1, 1, 50);
    const block = deferred();
    const first = gate.run(() => block.promise);
    const waiter = gate.run(async () => 'late');
    await expect(gate.run(async () => 'overflow')).rejects.toBeInstanceOf(HashGateBusy);
    await expect(waiter).rejects.toBeInstanceOf(HashGateBusy);
    expect(gate.load).toEqual({ running: 1, waiting: 0 });
    block.resolve();
    await first;
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
    await expect(gate.run(async () => 'again')).resolves.toBe('again');
  });

  it('frees the slot when the work fails', async () => {
    const gate = new HashGate(1, 0, 10);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 1)).resolves.toBe(1);
  });
});
