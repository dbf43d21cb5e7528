import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '@care/auth';
import { DomainError, type AuthUser, type JobQueue } from '@care/core';

/** Where the queue dashboard lives (outside /api/v1: it is a page for people, not part of the API). */
export const QUEUE_BOARD_PATH = '/admin/queues';
export const QUEUE_BOARD_COOKIE = 'care_queue_board';

function cookieOf(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function fail(reply: FastifyReply, statusCode: number, code: string, message: string): FastifyReply {
  return reply.code(statusCode).send({ statusCode, code, message });
}

/**
 * Admins only. A browser cannot send a bearer header to a page, so besides `Authorization: Bearer` the board
 * accepts `?token=<access token>` once: it answers with an httpOnly, SameSite=Strict cookie scoped to the board
 * and redirects to the same page without the token, so the token does not stay in the address bar or history.
 * The token is checked on every request (AuthService loads the user), so a revoked admin is out at once.
 */
export function queueBoardAuth(auth: Pick<AuthService, 'authenticate'>) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const url = new URL(req.url, 'http://board.local');
    const queryToken = url.searchParams.get('token') ?? undefined;
    const token = bearer ?? queryToken ?? cookieOf(req, QUEUE_BOARD_COOKIE);
    if (!token)
      return void fail(reply, 401, 'UNAUTHORIZED', 'Missing credentials: open the board with ?token=<access token>');
    let user: AuthUser;
    try {
      user = await auth.authenticate(token);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status !== 401) throw error;
      if (cookieOf(req, QUEUE_BOARD_COOKIE)) {
        reply.header(
          'Set-Cookie',
          `${QUEUE_BOARD_COOKIE}=; Path=${QUEUE_BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=0`,
        );
      }
      return void fail(reply, 401, 'UNAUTHORIZED', error.message);
    }
    if (user.role !== 'admin') return void fail(reply, 403, 'FORBIDDEN', 'Only admins may open the queue board');
    if (!bearer && queryToken) {
      const secure = req.protocol === 'https' ? '; Secure' : '';
      reply.header(
        'Set-Cookie',
        `${QUEUE_BOARD_COOKIE}=${encodeURIComponent(queryToken)}; Path=${QUEUE_BOARD_PATH}; HttpOnly; SameSite=Strict${secure}`,
      );
      url.searchParams.delete('token');
      return void reply.redirect(`${url.pathname}${url.search}`, 303);
    }
  };
}

/**
 * The queue board as a Fastify plugin over every queue of the job catalogue, behind queueBoardAuth; register it
 * with the prefix QUEUE_BOARD_PATH. Encapsulated: its hook, its static files and its views stay inside.
 */
export function queueBoardPlugin(
  auth: Pick<AuthService, 'authenticate'>,
  jobs: Pick<JobQueue, 'allQueues'>,
): FastifyPluginAsync {
  return async (board) => {
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: jobs.allQueues().map((queue) => new BullMQAdapter(queue)),
      // @bull-board/fastify carries its own copy of @bull-board/api (a patch version apart): same shape, but
      // TypeScript tells the copies' private members apart
      serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
      options: { uiConfig: { boardTitle: 'County care queues' } },
    });
    board.addHook('onRequest', queueBoardAuth(auth));
    await board.register(serverAdapter.registerPlugin());
  };
}
