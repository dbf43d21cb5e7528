// A small fetch wrapper for the same-origin API under /api/v1.
// - adds the bearer token (sessionStorage; the caregiver's in localStorage, for the offline phone app);
// - turns error bodies `{ statusCode, code, message }` into ApiError;
// - on 401 (expired or bad token) clears the session and tells the app to show the login page.

import type { SessionUser } from './types';

export const API_BASE = '/api/v1';
const TOKEN_KEY = 'care.console.token';
const USER_KEY = 'care.console.user';

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// ---- session ----
// Office roles: sessionStorage, so the token dies with the tab. The caregiver's phone app: localStorage, so the
// installed app closed and reopened without network (a cold start) still knows who is signed in and shows the day
// it last fetched and the actions waiting to be sent. Both are cleared on logout and on a 401.

export interface StoredSession {
  token: string;
  user: SessionUser;
}

/** Where a role's session is kept: only the caregiver's survives closing the app. */
export function sessionStoreFor(role: SessionUser['role']): 'local' | 'session' {
  return role === 'caregiver' ? 'local' : 'session';
}

function readFrom(store: Storage): StoredSession | null {
  const token = store.getItem(TOKEN_KEY);
  const user = store.getItem(USER_KEY);
  if (!token || !user) return null;
  return { token, user: JSON.parse(user) as SessionUser };
}

export function loadSession(): StoredSession | null {
  try {
    const tab = readFrom(sessionStorage);
    if (tab) return tab;
    const kept = readFrom(localStorage);
    // only a caregiver's session is ever kept across a restart; anything else found there is not trusted
    if (kept && sessionStoreFor(kept.user.role) === 'local') return kept;
    return null;
  } catch {
    return null;
  }
}

export function saveSession(s: StoredSession): void {
  clearSession();
  const store = sessionStoreFor(s.user.role) === 'local' ? localStorage : sessionStorage;
  store.setItem(TOKEN_KEY, s.token);
  store.setItem(USER_KEY, JSON.stringify(s.user));
}

export function clearSession(): void {
  for (const store of [sessionStorage, localStorage]) {
    try {
      store.removeItem(TOKEN_KEY);
      store.removeItem(USER_KEY);
    } catch {
      /* storage unavailable */
    }
  }
}

type UnauthorizedListener = () => void;
let onUnauthorized: UnauthorizedListener = () => undefined;
export function setUnauthorizedListener(fn: UnauthorizedListener): void {
  onUnauthorized = fn;
}

// ---- requests ----

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Do not treat 401 as an expired session (the login call itself). */
  anonymous?: boolean;
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  const token = opts.anonymous ? null : loadSession()?.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(API_BASE + withQuery(path, opts.query), { method, headers, body, signal: opts.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK_ERROR', '无法连接服务器，请检查网络后重试');
  }
  if (!res.ok) throw await toApiError(res, opts.anonymous === true);
  return res;
}

async function toApiError(res: Response, anonymous: boolean): Promise<ApiError> {
  let code = `HTTP_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  try {
    const data = (await res.json()) as { code?: string; message?: unknown; error?: string };
    if (data.code) code = data.code;
    if (Array.isArray(data.message)) message = data.message.join('；');
    else if (typeof data.message === 'string' && data.message) message = data.message;
  } catch {
    /* not JSON */
  }
  if (res.status === 401 && !anonymous) {
    clearSession();
    onUnauthorized();
  }
  return new ApiError(res.status, code, message);
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(method, path, opts);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const http = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>('POST', path, { body: body ?? {}, headers }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
};

/** Fetch a file with the bearer token and hand it to the browser as a download. */
export async function downloadFile(path: string, query: Query, fallbackName: string): Promise<string> {
  const res = await send('GET', path, { query, headers: { Accept: '*/*' } });
  const blob = await res.blob();
  const name = fileNameFrom(res.headers.get('Content-Disposition')) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

function fileNameFrom(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : null;
}
