import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthService } from '@care/auth';
import { DomainError, type AuthUser, type JobQueue } from '@care/core';

/** Where the queue dashboard lives (outside /api/v1: it is a page for people, not part of the API). */
export const QUEUE_BOARD_PATH = '/admin/queues';
export const QUEUE_BOARD_COOKIE = 'care_queue_board';

function cookieOf(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function fail(res: Response, statusCode: number, code: string, message: string): void {
  res.status(statusCode).json({ statusCode, code, message });
}

/**
 * Admins only. A browser cannot send a bearer header to a page, so besides `Authorization: Bearer` the board
 * accepts `?token=<access token>` once: it answers with an httpOnly, SameSite=Strict cookie scoped to the board
 * and redirects to the same page without the token, so the token does not stay in the address bar or history.
 * The token is checked on every request (AuthService loads the user), so a revoked admin is out at once.
 */
export function queueBoardAuth(auth: Pick<AuthService, 'authenticate'>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const queryToken = typeof req.query.token === 'string' ? req.query.token : undefined;
    const token = bearer ?? queryToken ?? cookieOf(req, QUEUE_BOARD_COOKIE);
    if (!token) return fail(res, 401, 'UNAUTHORIZED', 'Missing credentials: open the board with ?token=<access token>');
    auth
      .authenticate(token)
      .then((user: AuthUser) => {
        if (user.role !== 'admin') return fail(res, 403, 'FORBIDDEN', 'Only admins may open the queue board');
        if (!bearer && queryToken) {
          const secure = req.secure ? '; Secure' : '';
          res.setHeader(
            'Set-Cookie',
            `${QUEUE_BOARD_COOKIE}=${encodeURIComponent(queryToken)}; Path=${QUEUE_BOARD_PATH}; HttpOnly; SameSite=Strict${secure}`,
          );
          const url = new URL(req.originalUrl, 'http://board.local');
          url.searchParams.delete('token');
          return res.redirect(303, `${url.pathname}${url.search}`);
        }
        next();
      })
      .catch((error: unknown) => {
        if (error instanceof DomainError && error.status === 401) {
          if (cookieOf(req, QUEUE_BOARD_COOKIE)) {
            res.setHeader('Set-Cookie', `${QUEUE_BOARD_COOKIE}=; Path=${QUEUE_BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=0`);
          }
          return fail(res, 401, 'UNAUTHORIZED', error.message);
        }
        next(error);
      });
  };
}

/** The Bull Board router over every queue of the job catalogue. */
export function queueBoardRouter(jobs: Pick<JobQueue, 'allQueues'>): RequestHandler {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: jobs.allQueues().map((queue) => new BullMQAdapter(queue)),
    // @bull-board/express carries its own copy of @bull-board/api (a patch version apart): same shape, but
    // TypeScript tells the copies' private members apart
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'County care queues' } },
  });
  return serverAdapter.getRouter() as RequestHandler;
}
