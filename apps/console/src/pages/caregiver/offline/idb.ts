// A very small promise wrapper around IndexedDB for the caregiver app: the queue of actions waiting to be sent
// (outbox, in the order taken) and the last fetched day of visits (days).

const DB_NAME = 'care-caregiver';
const DB_VERSION = 1;
export const OUTBOX = 'outbox';
export const DAYS = 'days';

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(OUTBOX)) db.createObjectStore(OUTBOX, { keyPath: 'seq', autoIncrement: true });
      if (!db.objectStoreNames.contains(DAYS)) db.createObjectStore(DAYS, { keyPath: 'key' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      opening = null;
      reject(req.error ?? new Error('IndexedDB unavailable'));
    };
  });
  return opening;
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

export async function idbAll<T>(store: string): Promise<T[]> {
  const db = await open();
  return done(db.transaction(store, 'readonly').objectStore(store).getAll() as IDBRequest<T[]>);
}

export async function idbGet<T>(store: string, key: IDBValidKey): Promise<T | undefined> {
  const db = await open();
  return done(db.transaction(store, 'readonly').objectStore(store).get(key) as IDBRequest<T | undefined>);
}

/** Adds or replaces a record; answers its key (the outbox's sequence number for a new action). */
export async function idbPut<T>(store: string, value: T): Promise<IDBValidKey> {
  const db = await open();
  return done(db.transaction(store, 'readwrite').objectStore(store).put(value));
}

export async function idbDelete(store: string, key: IDBValidKey): Promise<void> {
  const db = await open();
  await done(db.transaction(store, 'readwrite').objectStore(store).delete(key));
}
