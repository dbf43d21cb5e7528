import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository, type EntityManager } from 'typeorm';
import {
  AuthUser,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  Page,
  TransactionRunner,
  UnauthorizedError,
  isDuplicateKeyError,
  toCountyIso,
} from '@care/core';
import type { CreateUserDto, ListUsersQueryDto, UpdateUserDto, UserView } from './dto/auth.dto';
import { LoginGuard } from './login-guard';
import { hashPassword, passwordProblem, verifyPassword } from './rules/password';
import { VerifiedTokens } from './rules/verified-tokens';
import { User, UserFacility } from './user.entity';

/** Lets the care-orders library confirm a caregiver id without auth depending on it. */
export interface CaregiverLookup {
  exists(caregiverId: string): Promise<boolean>;
}
export const CAREGIVER_LOOKUP = Symbol('CAREGIVER_LOOKUP');

interface TokenClaims {
  sub: string;
  role: string;
  /** users.token_version when the token was issued; absent in tokens from before token versions (read as 0). */
  ver?: number;
  /** Expiry, seconds since the epoch (jsonwebtoken's `expiresIn` sets it on every token we sign). */
  exp?: number;
}

/** Verified tokens kept per process (see VerifiedTokens): a few hundred bytes each. */
const VERIFIED_TOKENS_MAX = 2_000;

/**
 * How long an authenticated user (role, facilities, active, token version) is reused without reading the database
 * again. Kept short on purpose: a change made in this process drops the entry at once; a change made by another api
 * process is seen within this many milliseconds, so a token ended there answers 401 here within 5 s.
 */
export const AUTH_USER_CACHE_MS = 5_000;
const AUTH_USER_CACHE_MAX = 10_000;

interface AuthUserRow {
  id: string;
  username: string;
  role: AuthUser['role'];
  active: number | string;
  caregiver_id: string | null;
  token_version: number | string;
  facility_id: string | null;
}

interface CachedUser {
  user: AuthUser;
  tokenVersion: number;
}

// A constant-time answer for unknown users, so that login time does not reveal which usernames exist.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** The login counters' key for a username that names no user: one key whatever the case or surrounding blanks. */
const unknownUserKey = (username: string) => `name:${username.trim().toLowerCase()}`;

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  /** Users that authenticated lately, by id (see AUTH_USER_CACHE_MS). Only active users are kept. */
  private readonly recent = new Map<string, { entry: CachedUser; until: number }>();
  /**
   * Reads of a user under way: requests that miss the cache meanwhile (64 clients with one token when its entry
   * runs out) share that read rather than send one each. A change in this process (forgetUsers) drops them, and a
   * read it overtook is not cached.
   */
  private readonly loading = new Map<string, Promise<CachedUser | null>>();
  private generation = 0;
  /** Tokens whose signature verified lately; the user behind each is still checked on every request. */
  private readonly verified = new VerifiedTokens<TokenClaims>(VERIFIED_TOKENS_MAX);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(UserFacility) private readonly userFacilities: Repository<UserFacility>,
    private readonly jwt: JwtService,
    private readonly tx: TransactionRunner,
    private readonly guard: LoginGuard,
    @Inject(CAREGIVER_LOOKUP) private readonly caregivers: CaregiverLookup,
  ) {}

  /**
   * Checks a username and password. `address` is the client's address (counted when given; the e2e harness and the
   * CLI log in without one). 429 TOO_MANY_ATTEMPTS past the limits, 503 when the counters or the hashing cap say so.
   */
  async login(username: string, password: string, address?: string): Promise<{ accessToken: string; user: AuthUser }> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username', { username })
      .getOne();
    // the user's id when the name is known, so that every spelling the collation folds together shares one count
    const key = user ? `id:${user.id}` : unknownUserKey(username);
    const ok = await this.guard.check(key, address, () => verifyPassword(password, user?.passwordHash ?? DUMMY_HASH));
    if (!user || !ok || !user.active) throw new UnauthorizedError('Wrong username or password');
    await this.guard.succeeded(key, address);
    return { accessToken: await this.sign(user), user: await this.toAuthUser(user) };
  }

  /** Verifies a bearer token and loads the user as it is now (role, facilities, active, token version). */
  async authenticate(token: string): Promise<AuthUser> {
    let claims = this.verified.get(token, Date.now());
    if (!claims) {
      try {
        claims = await this.jwt.verifyAsync<TokenClaims>(token);
      } catch {
        throw new UnauthorizedError('Invalid or expired token');
      }
      this.verified.set(token, claims);
    }
    const version = claims.ver ?? 0;
    let found = await this.activeUser(claims.sub);
    // a token newer than the cached user (issued by another api process after a password or role change): the
    // cache is stale, read the user again rather than refuse the fresh token
    if (found && found.tokenVersion < version) found = await this.activeUser(claims.sub, true);
    if (!found || found.tokenVersion !== version) throw new UnauthorizedError('Invalid or expired token');
    return found.user;
  }

  /** Drops cached users (all, or one), e.g. after a change to a user in this process. */
  forgetUsers(id?: string): void {
    this.generation++;
    if (id === undefined) {
      this.recent.clear();
      this.loading.clear();
    } else {
      this.recent.delete(id);
      this.loading.delete(id);
    }
  }

  /**
   * POST /auth/password: one's own password, checked like a login (counted against the username, within the
   * hashing cap). Ends every token of the user, the caller's too, and answers a fresh one.
   */
  async changeOwnPassword(
    caller: AuthUser,
    currentPassword: string,
    newPassword: string,
  ): Promise<{ accessToken: string }> {
    const problem = passwordProblem(newPassword, caller.username);
    if (problem) throw new InvalidInputError(`newPassword: ${problem}`);
    const stored = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: caller.id })
      .getOne();
    if (!stored) throw new UnauthorizedError('Invalid or expired token');
    const key = `id:${stored.id}`;
    if (!(await this.guard.check(key, undefined, () => verifyPassword(currentPassword, stored.passwordHash)))) {
      throw new InvalidInputError('currentPassword: does not match', 'WRONG_PASSWORD');
    }
    await this.guard.succeeded(key, undefined);
    const passwordHash = await this.guard.hash(() => hashPassword(newPassword));
    const updated = await this.tx.run(async (em) => {
      await em.query('UPDATE users SET password_hash = ?, token_version = token_version + 1 WHERE id = ?', [
        passwordHash,
        stored.id,
      ]);
      return em.findOneByOrFail(User, { id: stored.id });
    });
    this.forgetUsers(stored.id);
    return { accessToken: await this.sign(updated) };
  }

  /**
   * Creates a user. `demoSeed` is for `seed:demo` only: the demo county's users share DEMO_PASSWORD (default
   * `demo-2026`, nine characters), which the password rule would refuse.
   */
  async createUser(dto: CreateUserDto, options: { demoSeed?: boolean } = {}): Promise<UserView> {
    const problems: string[] = [];
    const problem = options.demoSeed ? null : passwordProblem(dto.password, dto.username);
    if (problem) problems.push(`password: ${problem}`);
    problems.push(...(await this.assignmentProblems(dto.role, dto.facilityIds ?? [], dto.caregiverId ?? null)));
    if (problems.length) throw new InvalidInputError(problems.join('; '));
    const facilityIds = dto.facilityIds ?? [];
    const passwordHash = await this.guard.hash(() => hashPassword(dto.password));
    try {
      const user = await this.tx.run(async (em) => {
        await this.assertFacilitiesExist(em, facilityIds);
        const created = await em.save(
          em.create(User, {
            username: dto.username,
            passwordHash,
            role: dto.role,
            caregiverId: dto.caregiverId ?? null,
            active: true,
            tokenVersion: 0,
          }),
        );
        if (facilityIds.length) {
          await em.insert(
            UserFacility,
            facilityIds.map((facilityId) => ({ userId: created.id, facilityId })),
          );
        }
        return em.findOneByOrFail(User, { id: created.id });
      });
      this.forgetUsers(user.id);
      return this.userView(user, [...facilityIds].sort());
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new ConflictError('USERNAME_TAKEN', `Username "${dto.username}" is taken`);
      throw error;
    }
  }

  /** GET /users: by username, filtered by role, part of the username and active. */
  async listUsers(query: Partial<ListUsersQueryDto> = {}): Promise<Page<UserView>> {
    const qb = this.users.createQueryBuilder('u').orderBy('u.username', 'ASC');
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.active !== undefined) qb.andWhere('u.active = :active', { active: query.active ? 1 : 0 });
    if (query.q) {
      qb.andWhere(`u.username LIKE :q ESCAPE '\\\\'`, { q: `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    }
    const [users, total] = await qb
      .take(query.limit ?? 500)
      .skip(query.offset ?? 0)
      .getManyAndCount();
    const links = users.length ? await this.userFacilities.findBy({ userId: In(users.map((u) => u.id)) }) : [];
    const items = users.map((u) =>
      this.userView(
        u,
        links
          .filter((l) => l.userId === u.id)
          .map((l) => l.facilityId)
          .sort(),
      ),
    );
    return { items, total };
  }

  /**
   * PATCH /users/:id. A role change or a deactivation raises the token version (ends the user's tokens); a change
   * of facilities or caregiver does not: the guard reloads them, so they take effect within AUTH_USER_CACHE_MS
   * without logging the user out. An admin cannot deactivate or demote itself, and the last active admin stays.
   */
  async updateUser(caller: AuthUser, id: string, dto: UpdateUserDto): Promise<UserView> {
    const result = await this.tx.run(async (em) => {
      const [current] = await em.query<{ id: string }[]>('SELECT id FROM users WHERE id = ? FOR UPDATE', [id]);
      if (!current) throw new NotFoundError('User', id);
      const user = await em.findOneByOrFail(User, { id });
      const links = await em.findBy(UserFacility, { userId: id });
      const role = dto.role ?? user.role;
      const roleChanged = role !== user.role;
      const active = dto.active ?? user.active;
      // leaving a role drops what belonged to it, unless the request names it again (then it is refused below)
      const facilityIds = dto.facilityIds ?? (role === 'manager' ? links.map((l) => l.facilityId) : []);
      const caregiverId =
        dto.caregiverId !== undefined ? dto.caregiverId : role === 'caregiver' ? user.caregiverId : null;

      if (caller.id === id && !active) {
        throw new ConflictError('CANNOT_DEACTIVATE_SELF', 'An admin cannot deactivate its own user');
      }
      if (caller.id === id && roleChanged) {
        throw new ConflictError('CANNOT_CHANGE_OWN_ROLE', 'An admin cannot change its own role');
      }
      const problems = await this.assignmentProblems(role, facilityIds, caregiverId);
      if (problems.length) throw new InvalidInputError(problems.join('; '));
      await this.assertFacilitiesExist(em, facilityIds);

      const leavesAdmins = user.role === 'admin' && user.active && (role !== 'admin' || !active);
      if (leavesAdmins) {
        // lock every active admin, so two concurrent demotions cannot both pass the count
        const admins = await em.query<{ id: string }[]>(
          `SELECT id FROM users WHERE role = 'admin' AND active = 1 ORDER BY id FOR UPDATE`,
        );
        if (admins.filter((a) => a.id !== id).length === 0) {
          throw new ConflictError('LAST_ACTIVE_ADMIN', 'The last active admin cannot be deactivated or demoted');
        }
      }
      const endTokens = roleChanged || (user.active && !active);
      await em.query(
        'UPDATE users SET role = ?, active = ?, caregiver_id = ?, token_version = token_version + ? WHERE id = ?',
        [role, active ? 1 : 0, caregiverId, endTokens ? 1 : 0, id],
      );
      const oldFacilities = links.map((l) => l.facilityId).sort();
      const newFacilities = [...facilityIds].sort();
      if (oldFacilities.join() !== newFacilities.join()) {
        await em.delete(UserFacility, { userId: id });
        if (newFacilities.length) {
          await em.insert(
            UserFacility,
            newFacilities.map((facilityId) => ({ userId: id, facilityId })),
          );
        }
      }
      return { user: await em.findOneByOrFail(User, { id }), facilityIds: newFacilities };
    });
    this.forgetUsers(id);
    return this.userView(result.user, result.facilityIds);
  }

  /** POST /users/:id/password (admin): a new password for the user; ends its tokens. */
  async setPassword(id: string, password: string): Promise<void> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new NotFoundError('User', id);
    const problem = passwordProblem(password, user.username);
    if (problem) throw new InvalidInputError(`password: ${problem}`);
    const passwordHash = await this.guard.hash(() => hashPassword(password));
    await this.tx.run((em) =>
      em.query('UPDATE users SET password_hash = ?, token_version = token_version + 1 WHERE id = ?', [
        passwordHash,
        id,
      ]),
    );
    this.forgetUsers(id);
  }

  /**
   * Creates user `admin` at first start. Without ADMIN_PASSWORD and without an admin, the api cannot be
   * administered, so it refuses to start.
   */
  async ensureAdmin(password: string | undefined): Promise<'created' | 'exists'> {
    const existing = await this.users.findOneBy({ username: 'admin' });
    if (existing) return 'exists';
    if (!password) {
      throw new Error('No user "admin" exists yet: set ADMIN_PASSWORD (at least 10 characters) for the first start');
    }
    try {
      await this.users.insert({
        username: 'admin',
        passwordHash: await hashPassword(password),
        role: 'admin',
        active: true,
      });
      this.logger.log('created user "admin" from ADMIN_PASSWORD');
      return 'created';
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'exists'; // another api instance created it at the same moment
      throw error;
    }
  }

  private sign(user: User): Promise<string> {
    const claims: TokenClaims = { sub: user.id, role: user.role, ver: user.tokenVersion };
    return this.jwt.signAsync(claims);
  }

  /**
   * The active user with this id and its token version: one indexed query (the user and, for a manager, its
   * facilities by a LEFT JOIN on the primary keys), reused for AUTH_USER_CACHE_MS. Null when unknown or inactive.
   */
  private async activeUser(id: string, fresh = false): Promise<CachedUser | null> {
    if (!fresh) {
      const hit = this.recent.get(id);
      // a copy per request: callers may not share (or change) the cached object
      if (hit && hit.until > Date.now()) return this.copy(hit.entry);
      const pending = this.loading.get(id);
      if (pending) {
        const shared = await pending;
        return shared && this.copy(shared);
      }
    }
    const load = this.load(id);
    if (!fresh) {
      this.loading.set(id, load);
      const done = () => {
        if (this.loading.get(id) === load) this.loading.delete(id);
      };
      load.then(done, done);
    }
    const entry = await load;
    return entry && this.copy(entry);
  }

  /** Reads the user (active only) and caches it, unless a change in this process overtook the read. */
  private async load(id: string): Promise<CachedUser | null> {
    const now = Date.now();
    const generation = this.generation;
    const rows: AuthUserRow[] = await this.users.manager.query(
      `SELECT u.id, u.username, u.role, u.active, u.caregiver_id, u.token_version, f.facility_id
         FROM users u LEFT JOIN user_facilities f ON f.user_id = u.id AND u.role = 'manager'
        WHERE u.id = ?`,
      [id],
    );
    const row = rows[0];
    if (!row || Number(row.active) !== 1) {
      this.recent.delete(id);
      return null;
    }
    const facilityIds = rows
      .map((r) => r.facility_id)
      .filter((f): f is string => f !== null)
      .sort();
    const user: AuthUser = {
      id: row.id,
      username: row.username,
      role: row.role,
      facilityIds,
      caregiverId: row.caregiver_id,
    };
    const entry: CachedUser = { user, tokenVersion: Number(row.token_version) };
    if (generation === this.generation) {
      if (this.recent.size >= AUTH_USER_CACHE_MAX) this.recent.clear();
      this.recent.set(id, { entry, until: now + AUTH_USER_CACHE_MS });
    }
    return entry;
  }

  private copy(entry: CachedUser): CachedUser {
    return { user: { ...entry.user, facilityIds: [...entry.user.facilityIds] }, tokenVersion: entry.tokenVersion };
  }

  /** What a role needs: a manager one or more facilities, a caregiver user an existing caregiver; nobody else either. */
  private async assignmentProblems(
    role: User['role'],
    facilityIds: string[],
    caregiverId: string | null,
  ): Promise<string[]> {
    const problems: string[] = [];
    if (role === 'manager' && facilityIds.length === 0)
      problems.push('facilityIds: a manager needs at least one facility');
    if (role !== 'manager' && facilityIds.length > 0)
      problems.push('facilityIds: only managers are tied to facilities');
    if (role === 'caregiver' && !caregiverId) problems.push('caregiverId: a caregiver user must name its caregiver');
    if (role !== 'caregiver' && caregiverId) problems.push('caregiverId: only caregiver users act for a caregiver');
    if (role === 'caregiver' && caregiverId && !(await this.caregivers.exists(caregiverId))) {
      problems.push(`caregiverId: unknown caregiver "${caregiverId}"`);
    }
    return problems;
  }

  private async assertFacilitiesExist(em: EntityManager, facilityIds: string[]): Promise<void> {
    if (facilityIds.length === 0) return;
    const found: { id: string }[] = await em.query(
      `SELECT id FROM facilities WHERE id IN (${facilityIds.map(() => '?').join(',')})`,
      facilityIds,
    );
    const missing = facilityIds.filter((id) => !found.some((row) => row.id === id));
    if (missing.length) throw new InvalidInputError(`facilityIds: unknown facility ${missing.join(', ')}`);
  }

  private async toAuthUser(user: User): Promise<AuthUser> {
    const facilityIds =
      user.role === 'manager'
        ? (await this.userFacilities.findBy({ userId: user.id })).map((row) => row.facilityId).sort()
        : [];
    return { id: user.id, username: user.username, role: user.role, facilityIds, caregiverId: user.caregiverId };
  }

  private userView(user: User, facilityIds: string[]): UserView {
    return {
      id: user.id,
      username: user.username,
      role: user.role,
      facilityIds,
      caregiverId: user.caregiverId,
      active: user.active,
      createdAt: toCountyIso(user.createdAt) ?? '',
    };
  }
}
