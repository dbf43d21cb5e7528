import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import {
  AuthUser,
  ConflictError,
  InvalidInputError,
  TransactionRunner,
  UnauthorizedError,
  isDuplicateKeyError,
} from '@care/core';
import { CreateUserDto } from './dto/auth.dto';
import { hashPassword, verifyPassword } from './rules/password';
import { User, UserFacility } from './user.entity';

/** Lets the care-orders library confirm a caregiver id without auth depending on it. */
export interface CaregiverLookup {
  exists(caregiverId: string): Promise<boolean>;
}
export const CAREGIVER_LOOKUP = Symbol('CAREGIVER_LOOKUP');

interface TokenClaims {
  sub: string;
  role: string;
}

/**
 * How long an authenticated user (role, facilities, active) is reused without reading the database again.
 * Kept short on purpose: a change made in this process (createUser) drops the entry at once; a change made
 * by another api process is seen within this many milliseconds.
 */
export const AUTH_USER_CACHE_MS = 5_000;
const AUTH_USER_CACHE_MAX = 10_000;

interface AuthUserRow {
  id: string;
  username: string;
  role: AuthUser['role'];
  active: number | string;
  caregiver_id: string | null;
  facility_id: string | null;
}

// A constant-time answer for unknown users, so that login time does not reveal which usernames exist.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  /** Users that authenticated lately, by id (see AUTH_USER_CACHE_MS). Only active users are kept. */
  private readonly recent = new Map<string, { user: AuthUser; until: number }>();

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(UserFacility) private readonly userFacilities: Repository<UserFacility>,
    private readonly jwt: JwtService,
    private readonly tx: TransactionRunner,
    @Optional() @Inject(CAREGIVER_LOOKUP) private readonly caregivers?: CaregiverLookup,
  ) {}

  async login(username: string, password: string): Promise<{ accessToken: string; user: AuthUser }> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username', { username })
      .getOne();
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || !user.active) throw new UnauthorizedError('Wrong username or password');
    const authUser = await this.toAuthUser(user);
    const claims: TokenClaims = { sub: user.id, role: user.role };
    return { accessToken: await this.jwt.signAsync(claims), user: authUser };
  }

  /** Verifies a bearer token and loads the user as it is now (role, facilities, active). */
  async authenticate(token: string): Promise<AuthUser> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch {
      throw new UnauthorizedError('Invalid or expired token');
    }
    const user = await this.activeUser(claims.sub);
    if (!user) throw new UnauthorizedError('Invalid or expired token');
    return user;
  }

  /** Drops cached users (all, or one), e.g. after a change to a user in this process. */
  forgetUsers(id?: string): void {
    if (id === undefined) this.recent.clear();
    else this.recent.delete(id);
  }

  /**
   * The active user with this id, as an AuthUser: one indexed query (the user and, for a manager, its facilities
   * by a LEFT JOIN on the primary keys), reused for AUTH_USER_CACHE_MS. Null when unknown or inactive.
   */
  private async activeUser(id: string): Promise<AuthUser | null> {
    const now = Date.now();
    const hit = this.recent.get(id);
    // a copy per request: callers may not share (or change) the cached object
    if (hit && hit.until > now) return { ...hit.user, facilityIds: [...hit.user.facilityIds] };
    const rows: AuthUserRow[] = await this.users.manager.query(
      `SELECT u.id, u.username, u.role, u.active, u.caregiver_id, f.facility_id
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
    const user: AuthUser = { id: row.id, username: row.username, role: row.role, facilityIds, caregiverId: row.caregiver_id };
    if (this.recent.size >= AUTH_USER_CACHE_MAX) this.recent.clear();
    this.recent.set(id, { user, until: now + AUTH_USER_CACHE_MS });
    return { ...user, facilityIds: [...facilityIds] };
  }

  async createUser(dto: CreateUserDto): Promise<AuthUser> {
    const facilityIds = dto.facilityIds ?? [];
    if (dto.role === 'manager' && facilityIds.length === 0) {
      throw new InvalidInputError('facilityIds: a manager needs at least one facility');
    }
    if (dto.role !== 'manager' && facilityIds.length > 0) {
      throw new InvalidInputError('facilityIds: only managers are tied to facilities');
    }
    if (dto.role === 'caregiver' && !dto.caregiverId) {
      throw new InvalidInputError('caregiverId: a caregiver user must name its caregiver');
    }
    if (dto.role !== 'caregiver' && dto.caregiverId) {
      throw new InvalidInputError('caregiverId: only caregiver users act for a caregiver');
    }
    if (dto.caregiverId && this.caregivers && !(await this.caregivers.exists(dto.caregiverId))) {
      throw new InvalidInputError(`caregiverId: unknown caregiver "${dto.caregiverId}"`);
    }
    const passwordHash = await hashPassword(dto.password);
    try {
      const user = await this.tx.run(async (em) => {
        if (facilityIds.length > 0) {
          const found: { id: string }[] = await em.query(
            `SELECT id FROM facilities WHERE id IN (${facilityIds.map(() => '?').join(',')})`,
            facilityIds,
          );
          const missing = facilityIds.filter((id) => !found.some((row) => row.id === id));
          if (missing.length) throw new InvalidInputError(`facilityIds: unknown facility ${missing.join(', ')}`);
        }
        const created = await em.save(
          em.create(User, {
            username: dto.username,
            passwordHash,
            role: dto.role,
            caregiverId: dto.caregiverId ?? null,
            active: true,
          }),
        );
        if (facilityIds.length) {
          await em.insert(UserFacility, facilityIds.map((facilityId) => ({ userId: created.id, facilityId })));
        }
        return created;
      });
      this.forgetUsers(user.id);
      return { ...(await this.toAuthUser(user)) };
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new ConflictError('USERNAME_TAKEN', `Username "${dto.username}" is taken`);
      throw error;
    }
  }

  async listUsers(): Promise<AuthUser[]> {
    const users = await this.users.find({ order: { username: 'ASC' } });
    const links = users.length ? await this.userFacilities.findBy({ userId: In(users.map((u) => u.id)) }) : [];
    return users.map((u) => this.view(u, links.filter((l) => l.userId === u.id).map((l) => l.facilityId)));
  }

  /**
   * Creates user `admin` at first start. Without ADMIN_PASSWORD and without an admin, the api cannot be
   * administered, so it refuses to start.
   */
  async ensureAdmin(password: string | undefined): Promise<'created' | 'exists'> {
    const existing = await this.users.findOneBy({ username: 'admin' });
    if (existing) return 'exists';
    if (!password) {
      throw new Error('No user "admin" exists yet: set ADMIN_PASSWORD (at least 8 characters) for the first start');
    }
    try {
      await this.users.insert({ username: 'admin', passwordHash: await hashPassword(password), role: 'admin', active: true });
      this.logger.log('created user "admin" from ADMIN_PASSWORD');
      return 'created';
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'exists'; // another api instance created it at the same moment
      throw error;
    }
  }

  private async toAuthUser(user: User): Promise<AuthUser> {
    const facilityIds =
      user.role === 'manager'
        ? (await this.userFacilities.findBy({ userId: user.id })).map((row) => row.facilityId).sort()
        : [];
    return this.view(user, facilityIds);
  }

  private view(user: User, facilityIds: string[]): AuthUser {
    return { id: user.id, username: user.username, role: user.role, facilityIds, caregiverId: user.caregiverId };
  }
}
