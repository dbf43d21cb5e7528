/**
 * A small semaphore in front of password hashing (scrypt: tens of milliseconds of CPU and 32 MiB each).
 * `concurrency` hashes run at once; up to `queue` more callers wait, each at most `waitMs`; a caller beyond
 * the queue, or one whose wait runs out, is refused with HashGateBusy at once, so a login flood costs the
 * server a bounded amount of CPU and memory and every request still answers quickly (503 at the edge).
 */
export class HashGateBusy extends Error {
  constructor() {
    super('Too many password checks at once');
    this.name = 'HashGateBusy';
  }
}

interface Waiter {
  grant: () => void;
  timer: NodeJS.Timeout;
}

export class HashGate {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly concurrency: number,
    readonly queue: number,
    readonly waitMs: number,
  ) {}

  /** How many hashes run now and how many callers wait (for tests and metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.queue) return Promise.reject(new HashGateBusy());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        // the slot passes from the releasing caller straight to this one: `running` stays as it is
        grant: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          const index = this.waiting.indexOf(waiter);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(new HashGateBusy());
        }, this.waitMs),
      };
      this.waiting.push(waiter);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.grant();
    else this.running--;
  }
}
