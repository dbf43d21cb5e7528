import { closeAfterJobs } from './close-after-jobs';

const never = () => new Promise<void>(() => undefined);
const after = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('closeAfterJobs', () => {
  it('lets a close that finishes finish, then disconnects', async () => {
    const cut = jest.fn();
    await expect(closeAfterJobs({ close: () => after(5), running: () => [], cut, afterJobsMs: 1000 })).resolves.toBe(
      'closed',
    );
    expect(cut).toHaveBeenCalledTimes(1);
  });

  it('cuts the connections of a close that hangs once no job runs (a client reconnecting after a failover)', async () => {
    const cut = jest.fn();
    const started = Date.now();
    await expect(closeAfterJobs({ close: never, running: () => [], cut, afterJobsMs: 30 })).resolves.toBe('cut');
    expect(cut).toHaveBeenCalledTimes(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('never cuts while a job runs: the running job finishes first, however long it takes', async () => {
    const job = deferred();
    const running = new Set<Promise<void>>([job.promise]);
    void job.promise.then(() => running.delete(job.promise));
    const cut = jest.fn();
    const stopped = closeAfterJobs({ close: never, running: () => [...running], cut, afterJobsMs: 10 });
    await after(60);
    expect(cut).not.toHaveBeenCalled();
    job.resolve();
    await expect(stopped).resolves.toBe('cut');
    expect(cut).toHaveBeenCalledTimes(1);
  });

  it('waits for a job that started after the close began (fetched just before), and for a failed one', async () => {
    const late = deferred();
    const running = new Set<Promise<void>>();
    const cut = jest.fn();
    const stopped = closeAfterJobs({ close: never, running: () => [...running], cut, afterJobsMs: 20 });
    running.add(late.promise);
    await after(60);
    expect(cut).not.toHaveBeenCalled();
    const failing = Promise.reject(new Error('job failed'));
    running.add(failing);
    running.delete(late.promise);
    late.resolve();
    await after(5);
    running.delete(failing);
    await expect(stopped).resolves.toBe('cut');
    expect(cut).toHaveBeenCalledTimes(1);
  });

  it('a close that fails (its error was emitted on the worker) is cut at once, without throwing', async () => {
    const cut = jest.fn();
    await expect(
      closeAfterJobs({ close: () => Promise.reject(new Error('Connection is closed')), running: () => [], cut }),
    ).resolves.toBe('cut');
    expect(cut).toHaveBeenCalledTimes(1);
  });
});
