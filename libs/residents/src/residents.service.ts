import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository, SelectQueryBuilder } from 'typeorm';
import {
  AuthUser,
  ConflictError,
  FIELD_CIPHER,
  FieldCipher,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  Page,
  TransactionRunner,
  auditContext,
  countyDate,
  duplicateKeyName,
  isDuplicateKeyError,
  rowsOf,
  seesWholeCounty,
  stmt,
  type SqlResult,
  type SqlStatement,
} from '@care/core';
import { residentFactsAround, writeStatsChanges } from '@care/stats/outbox';
import { FacilitiesService } from '@care/facilities';
import { RegionsService } from '@care/regions';
import type { CreateResidentDto, ListResidentsQueryDto, UpdateResidentDto } from './dto/resident.dto';
import type { ResidentRef } from './resident-ref';
import { LATEST_ASSESSMENT_PROVIDER, type LatestAssessmentProvider } from './latest-assessment';
import {
  Resident,
  ResidentCategory,
  ResidentCategoryRow,
  ResidentFacilityLink,
  type LivingArrangement,
  type ResidentFacilityLinkReason,
} from './resident.entity';
import { toResidentView, type ResidentDetailView, type ResidentView } from './resident.view';
import { maskIdNumber, normalizeIdNumber, parseIdNumber } from './rules/id-number';

const ID_NUMBER_LIKE = /^\d{17}[\dX]$/;

/** A list row: the resident's columns and its categories (comma-joined, sorted). */
type ResidentListRow = ResidentRow & { categories: string | null };

const categoriesFromRow = (row: ResidentListRow): ResidentCategory[] =>
  row.categories ? (row.categories.split(',') as ResidentCategory[]) : [];

/**
 * Who sees which residents, decided once: the county (admin, bureau, integration), the residents linked to one's
 * facilities (a manager), the residents living at home (a dispatcher), or none. The list's SQL, the query builder's
 * scope and the one-resident checks below all render this.
 */
type ResidentScope =
  | { readonly kind: 'county' }
  | { readonly kind: 'none' }
  | { readonly kind: 'facilities'; readonly facilityIds: readonly string[] }
  | { readonly kind: 'home' };

function residentScopeOf(user: AuthUser): ResidentScope {
  if (seesWholeCounty(user)) return { kind: 'county' };
  if (user.role === 'manager')
    return user.facilityIds.length ? { kind: 'facilities', facilityIds: user.facilityIds } : { kind: 'none' };
  if (user.role === 'dispatcher') return { kind: 'home' };
  return { kind: 'none' };
}

/** The scope as plain SQL over `residents <alias>` (null: the whole county), for the list's one statement. */
function scopeSql(user: AuthUser): { sql: (a: string) => string; params: unknown[] } | null {
  const scope = residentScopeOf(user);
  switch (scope.kind) {
    case 'county':
      return null;
    case 'facilities':
      return {
        sql: (a) =>
          `EXISTS (SELECT 1 FROM resident_facility_links l WHERE l.resident_id = ${a}.id AND l.facility_id IN (${scope.facilityIds.map(() => '?').join(', ')}))`,
        params: [...scope.facilityIds],
      };
    case 'home':
      return { sql: (a) => `${a}.living_arrangement = 'home'`, params: [] };
    case 'none':
      return { sql: () => '1 = 0', params: [] };
  }
}

/**
 * How a hot-path transaction names the resident in its statements before it has read the row: by id (the caller must
 * be allowed to see the resident, checked from `visibilityStatement`), or by the look-up hashes of an ID number (the
 * desk flow; both hashes while the data key is rotated, as in `lockForPlacement`).
 */
export type ResidentKey =
  | { readonly by: 'id'; readonly value: string; readonly checkVisibility: boolean }
  | { readonly by: 'id_number_hash'; readonly hashes: readonly string[]; readonly checkVisibility: false };

const hashList = (hashes: readonly string[]): string => hashes.map(() => '?').join(', ');

/**
 * The resident's id as an SQL expression (a placeholder, or a plain look-up by hash) with its values. An elder stored
 * twice (once under each key) is taken by its smallest id, as {@link ResidentsService.lockStatement} does.
 */
export function residentIdSql(key: ResidentKey): { sql: string; params: unknown[] } {
  return key.by === 'id'
    ? { sql: '?', params: [key.value] }
    : {
        sql: `(SELECT MIN(id) FROM residents WHERE id_number_hash IN (${hashList(key.hashes)}))`,
        params: [...key.hashes],
      };
}

interface ResidentRow {
  id: string;
  name: string;
  id_number_hash: string;
  id_number_masked: string;
  gender: Resident['gender'];
  birth_date: Date | string;
  region_code: string;
  living_arrangement: LivingArrangement;
  address: string | null;
  lat: string | number | null;
  lng: string | number | null;
  phone: string | null;
  created_at: Date;
  updated_at: Date;
}

const RESIDENT_COLUMNS =
  'id, name, id_number_hash, id_number_masked, gender, birth_date, region_code, living_arrangement, address, lat, lng, phone, created_at, updated_at';

/** RESIDENT_COLUMNS of `residents r`, and the resident's categories (comma-joined, sorted), for GET /residents. */
const RESIDENT_LIST_COLUMNS = `${RESIDENT_COLUMNS.split(', ')
  .map((column) => `r.${column}`)
  .join(
    ', ',
  )}, (SELECT GROUP_CONCAT(c.category ORDER BY c.category) FROM resident_categories c WHERE c.resident_id = r.id) AS categories`;

/** A DATE as YYYY-MM-DD, whether the driver gives a string or a Date at UTC midnight (the connection is UTC). */
function dateOnly(value: Date | string): string {
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}

function residentFromRow(row: ResidentRow): Resident {
  return Object.assign(new Resident(), {
    id: row.id,
    name: row.name,
    idNumberHash: row.id_number_hash,
    idNumberMasked: row.id_number_masked,
    gender: row.gender,
    birthDate: dateOnly(row.birth_date),
    regionCode: row.region_code,
    livingArrangement: row.living_arrangement,
    address: row.address,
    lat: row.lat === null ? null : Number(row.lat),
    lng: row.lng === null ? null : Number(row.lng),
    phone: row.phone,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** LIKE pattern for a fragment typed by a user: % and _ are literal. */
function containsPattern(fragment: string): string {
  return `%${fragment.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

@Injectable()
export class ResidentsService {
  private readonly logger = new Logger(ResidentsService.name);

  /**
   * `latestAssessments` is required: the application binds LATEST_ASSESSMENT_PROVIDER (LatestAssessmentModule of the
   * assessments library, global); composed without it, the application does not start.
   */
  constructor(
    @InjectRepository(Resident) private readonly residents: Repository<Resident>,
    @Inject(FIELD_CIPHER) private readonly cipher: FieldCipher,
    private readonly tx: TransactionRunner,
    private readonly regions: RegionsService,
    private readonly facilities: FacilitiesService,
    @Inject(LATEST_ASSESSMENT_PROVIDER) private readonly latestAssessments: LatestAssessmentProvider,
  ) {}

  // ---- HTTP use cases -------------------------------------------------------------------------------------

  async create(user: AuthUser, dto: CreateResidentDto): Promise<ResidentView> {
    const today = countyDate(new Date());
    const parsed = parseIdNumber(dto.idNumber, today);
    if (!parsed.ok) throw new InvalidInputError(`idNumber: ${parsed.message}`);
    const id = parsed.value;
    const problems: string[] = [];
    if (dto.gender !== undefined && dto.gender !== null && dto.gender !== id.gender) {
      problems.push('gender: does not match the ID number');
    }
    if (dto.birthDate !== undefined && dto.birthDate !== null && dto.birthDate !== id.birthDate) {
      problems.push('birthDate: does not match the ID number');
    }
    if (problems.length) throw new InvalidInputError(problems.join('; '));

    if (user.role === 'dispatcher' && dto.livingArrangement !== 'home') {
      throw new ForbiddenError('A dispatcher registers residents living at home only');
    }
    const facilityId = await this.registeringFacility(user, dto.facilityId);
    const region = await this.regions.assertKnown(dto.regionCode, 'regionCode');
    if (region.level !== 'township')
      throw new InvalidInputError(`regionCode: "${dto.regionCode}" is not a township of the county`);

    const residentId = randomUUID();
    try {
      await this.tx.run(async (em) => {
        auditContext.note({ entity: 'resident', ids: [residentId], residentIds: [residentId] });
        // during a key rotation the elder may still be stored under the previous key's hash; the unique key on
        // the current hash (written by this insert and by the rotation) covers the rest
        if (this.cipher.rotating) await this.assertNotRegisteredUnderPreviousKey(em, id.normalized);
        await em.insert(Resident, {
          id: residentId,
          name: dto.name.trim(),
          idNumberCipher: this.cipher.encrypt(id.normalized),
          idNumberHash: this.cipher.lookupHash(id.normalized),
          idNumberMasked: maskIdNumber(id.normalized),
          gender: id.gender,
          birthDate: id.birthDate,
          regionCode: dto.regionCode,
          livingArrangement: dto.livingArrangement,
          address: dto.address ?? null,
          lat: dto.lat ?? null,
          lng: dto.lng ?? null,
          phone: dto.phone ?? null,
        });
        await this.replaceCategories(em, residentId, dto.categories);
        if (facilityId) await this.linkToFacility(em, residentId, facilityId, 'registered');
        // statistics: the new resident's marker: it may count in the township's figures
        await writeStatsChanges(em, [residentFactsAround('residents', residentId).after]);
      });
    } catch (error) {
      if (isDuplicateKeyError(error) && duplicateKeyName(error) === 'uq_residents_id_number_hash') {
        // the masked form only: the full number never reaches a message or a log
        throw new ConflictError(
          'RESIDENT_EXISTS',
          `A resident with ID number ${maskIdNumber(id.normalized)} is already registered`,
        );
      }
      throw error;
    }
    this.logger.log(`registered resident ${residentId} (${maskIdNumber(id.normalized)})`);
    const created = await this.residents.findOneByOrFail({ id: residentId });
    return toResidentView(created, dto.categories, today);
  }

  /**
   * GET /residents: plain SQL over TypeORM's pool (no query builder, no entity hydration: the list is read on every
   * page of the console). One statement — the page, each resident's categories aggregated in it, and the count as
   * an uncorrelated subquery — on the same filters and scope as {@link applyScope}; a second (the count) only for a
   * page past the end.
   */
  async list(user: AuthUser, query: ListResidentsQueryDto): Promise<Page<ResidentView>> {
    // the filters over `residents <alias>`: the page's rows are `r`, the count's (a subquery of the page) `rc`
    const where: ((a: string) => string)[] = [];
    const params: unknown[] = [];
    const scope = scopeSql(user);
    if (scope) {
      where.push(scope.sql);
      params.push(...scope.params);
    }
    if (query.regionCode) {
      where.push((a) => `${a}.region_code = ?`);
      params.push(query.regionCode);
    }
    if (query.livingArrangement) {
      where.push((a) => `${a}.living_arrangement = ?`);
      params.push(query.livingArrangement);
    }
    if (query.category) {
      where.push(
        (a) => `EXISTS (SELECT 1 FROM resident_categories c WHERE c.resident_id = ${a}.id AND c.category = ?)`,
      );
      params.push(query.category);
    }
    const q = query.q?.trim();
    if (q) {
      const normalized = normalizeIdNumber(q);
      if (ID_NUMBER_LIKE.test(normalized)) {
        const hashes = this.cipher.lookupHashes(normalized);
        where.push((a) => `(${a}.name LIKE ? OR ${a}.id_number_hash IN (${hashes.map(() => '?').join(', ')}))`);
        params.push(containsPattern(q), ...hashes);
      } else {
        where.push((a) => `${a}.name LIKE ?`);
        params.push(containsPattern(q));
      }
    }
    const filter = (a: string) => (where.length ? `WHERE ${where.map((w) => w(a)).join(' AND ')}` : '');
    const count = `SELECT COUNT(*) FROM residents rc ${filter('rc')}`;
    const manager = this.residents.manager;
    // one statement: the count is an uncorrelated subquery (evaluated once) beside the page's columns
    const rows = await manager.query<(ResidentListRow & { total: number | string })[]>(
      `SELECT ${RESIDENT_LIST_COLUMNS}, (${count}) AS total FROM residents r ${filter('r')}
        ORDER BY r.name ASC, r.id ASC LIMIT ? OFFSET ?`,
      [...params, ...params, query.limit, query.offset],
    );
    let total = rows.length > 0 ? Number(rows[0].total) : 0;
    // a page past the end has no row to carry the count
    if (rows.length === 0 && query.offset > 0) {
      const [counted] = await manager.query<{ total: number | string }[]>(
        `SELECT COUNT(*) AS total FROM residents rc ${filter('rc')}`,
        params,
      );
      total = Number(counted?.total ?? 0);
    }
    const today = countyDate(new Date());
    return {
      items: rows.map((row) => toResidentView(residentFromRow(row), categoriesFromRow(row), today)),
      total,
    };
  }

  /**
   * The desk look-up: `GET /residents?idNumber=<all 18>`. An exact match on the keyed hash, answering that one
   * resident or none. This is the ONE way a manager reaches a resident beyond its facilities (the elder's ID card at
   * the desk); admin and bureau see the whole county anyway, a dispatcher keeps its scope (residents living at home).
   * The audit trail records it under this name (`residents.lookUpByIdNumber`).
   */
  async lookUpByIdNumber(user: AuthUser, idNumber: string): Promise<Page<ResidentView>> {
    const normalized = this.validIdNumber(idNumber);
    const qb = this.residents.createQueryBuilder('r').where('r.idNumberHash IN (:...hashes)', {
      hashes: this.cipher.lookupHashes(normalized),
    });
    if (user.role !== 'manager') this.applyScope(qb, user);
    const found = await qb.getOne();
    if (!found) return { items: [], total: 0 };
    const categories = await this.categoriesOf([found.id]);
    return { items: [toResidentView(found, categories.get(found.id) ?? [])], total: 1 };
  }

  async get(user: AuthUser, id: string): Promise<ResidentDetailView> {
    const resident = await this.assertVisible(user, id);
    const [categories, latestAssessment] = await Promise.all([
      this.categoriesOf([id]),
      this.latestAssessments.latestFor(id, undefined, user),
    ]);
    return { ...toResidentView(resident, categories.get(id) ?? []), latestAssessment: latestAssessment ?? null };
  }

  async update(user: AuthUser, id: string, dto: UpdateResidentDto): Promise<ResidentView> {
    await this.assertVisible(user, id);
    if (user.role === 'dispatcher' && dto.livingArrangement === 'institution') {
      throw new ForbiddenError('A dispatcher looks after residents living at home only');
    }
    auditContext.note({ entity: 'resident', ids: [id], residentIds: [id] });
    await this.tx.run(async (em) => {
      const resident = await this.lockForUpdate(em, id);
      if (!resident) throw new NotFoundError('Resident', id);
      // statistics: where the elder lives, the categories and the place (the service circle) move the figures:
      // the resident's marker, when one of them changes
      const moves = [dto.livingArrangement, dto.lat, dto.lng, dto.categories].some((v) => v !== undefined);
      const counted = moves ? residentFactsAround('residents', id) : null;
      if (counted) await writeStatsChanges(em, counted.before);
      const changes: Partial<Resident> = {};
      if (dto.name !== undefined) changes.name = dto.name.trim();
      if (dto.address !== undefined) changes.address = dto.address;
      if (dto.phone !== undefined) changes.phone = dto.phone;
      if (dto.lat !== undefined) changes.lat = dto.lat;
      if (dto.lng !== undefined) changes.lng = dto.lng;
      if (dto.livingArrangement !== undefined && dto.livingArrangement !== resident.livingArrangement) {
        // while a stay is active the resident lives in the institution; the discharge changes it
        const [active] = await em.query<{ n: number }[]>(
          "SELECT COUNT(*) AS n FROM stays WHERE resident_id = ? AND status = 'active'",
          [id],
        );
        if (Number(active.n) > 0) {
          throw new ConflictError(
            'RESIDENT_ALREADY_ADMITTED',
            'The resident has an active stay: discharge it to change where the resident lives',
          );
        }
        changes.livingArrangement = dto.livingArrangement;
      }
      if (Object.keys(changes).length) await em.update(Resident, { id }, changes);
      if (dto.categories !== undefined) {
        await this.replaceCategories(em, id, dto.categories);
        // the categories are part of the resident's record
        await em.query('UPDATE residents SET updated_at = CURRENT_TIMESTAMP(3) WHERE id = ?', [id]);
      }
      if (counted) await writeStatsChanges(em, [counted.after]);
    });
    const updated = await this.residents.findOneByOrFail({ id });
    const categories = await this.categoriesOf([id]);
    return toResidentView(updated, categories.get(id) ?? []);
  }

  // ---- for other libraries (beds, assessments, waitlist, care orders) -----------------------------------

  /**
   * The resident, when the user may see it: admin and bureau all; a manager those linked to its facilities;
   * a dispatcher those living at home. Otherwise 404 (existence is not revealed); a caregiver gets 403.
   */
  async assertVisible(user: AuthUser, id: string, em?: EntityManager): Promise<Resident> {
    if (user.role === 'caregiver') throw new ForbiddenError();
    const repo = em ? em.getRepository(Resident) : this.residents;
    const qb = repo.createQueryBuilder('r').where('r.id = :id', { id });
    this.applyScope(qb, user);
    const resident = await qb.getOne();
    if (!resident) throw new NotFoundError('Resident', id);
    return resident;
  }

  /**
   * The resident a waitlist entry or an admission is about, locked (SELECT ... FOR UPDATE) inside the caller's
   * transaction. By `residentId` only a resident the user already sees (404 otherwise, as for one that does not
   * exist); by `idNumber` (the full number from the elder's ID card) any resident of the county, like the desk
   * look-up: this is how a manager brings an elder from beyond its facilities into its scope (the caller then links
   * it). Never by a bare id of a resident out of scope.
   */
  async lockForPlacement(em: EntityManager, user: AuthUser, ref: ResidentRef): Promise<Resident> {
    if (ref.residentId !== undefined && ref.idNumber !== undefined) {
      throw new InvalidInputError('idNumber: give either residentId or idNumber, not both');
    }
    if (ref.idNumber !== undefined) {
      // both hashes while the data key is rotated: the record may not be re-encrypted yet
      const hashes = this.cipher.lookupHashes(this.validIdNumber(ref.idNumber));
      const [row] = await em.query<ResidentRow[]>(
        `SELECT ${RESIDENT_COLUMNS} FROM residents WHERE id_number_hash IN (?) FOR UPDATE`,
        [hashes],
      );
      // the message never repeats the number
      if (!row) throw new NotFoundError('Resident', 'with this ID number');
      return residentFromRow(row);
    }
    if (ref.residentId === undefined) throw new InvalidInputError('residentId: give residentId or idNumber');
    const resident = await this.lockForUpdate(em, ref.residentId);
    if (!resident || !(await this.isVisibleTo(user, resident, em))) throw new NotFoundError('Resident', ref.residentId);
    return resident;
  }

  // ---- the same, as statements for a hot-path transaction (SqlTransactionRunner) ------------------------------

  /** The key for {@link ResidentsService.lockForPlacement}'s rules: 400 for both or neither, or a malformed ID number. */
  placementKey(ref: ResidentRef): ResidentKey {
    if (ref.residentId !== undefined && ref.idNumber !== undefined) {
      throw new InvalidInputError('idNumber: give either residentId or idNumber, not both');
    }
    if (ref.idNumber !== undefined) {
      // both hashes while the data key is rotated: the record may not be re-encrypted yet
      return {
        by: 'id_number_hash',
        hashes: this.cipher.lookupHashes(this.validIdNumber(ref.idNumber)),
        checkVisibility: false,
      };
    }
    if (ref.residentId === undefined) throw new InvalidInputError('residentId: give residentId or idNumber');
    return { by: 'id', value: ref.residentId, checkVisibility: true };
  }

  /** SELECT ... FOR UPDATE of the resident; read its result with {@link ResidentsService.residentFrom}. */
  lockStatement(key: ResidentKey | string): SqlStatement {
    if (typeof key === 'string')
      return stmt(`SELECT ${RESIDENT_COLUMNS} FROM residents WHERE id = ? FOR UPDATE`, [key]);
    if (key.by === 'id') return stmt(`SELECT ${RESIDENT_COLUMNS} FROM residents WHERE id = ? FOR UPDATE`, [key.value]);
    return stmt(
      `SELECT ${RESIDENT_COLUMNS} FROM residents WHERE id_number_hash IN (${hashList(key.hashes)}) ORDER BY id FOR UPDATE`,
      [...key.hashes],
    );
  }

  /** A resident id given as an SQL expression (e.g. a session variable set in the same round trip), locked. */
  lockStatementBySql(idSql: string, params: readonly unknown[] = []): SqlStatement {
    return stmt(`SELECT ${RESIDENT_COLUMNS} FROM residents WHERE id = ${idSql} FOR UPDATE`, params);
  }

  residentFrom(result: SqlResult | undefined): Resident | null {
    const [row] = rowsOf<ResidentRow>(result);
    return row ? residentFromRow(row) : null;
  }

  /**
   * What {@link ResidentsService.isVisibleTo} needs from the database for this user (a manager's links: the ones of
   * its facilities the resident has), or null. Read it with {@link ResidentsService.isVisibleFrom} and
   * {@link ResidentsService.isLinkedFrom}.
   */
  visibilityStatement(user: AuthUser, key: ResidentKey): SqlStatement | null {
    const scope = residentScopeOf(user);
    if (key.by !== 'id' || !key.checkVisibility || scope.kind !== 'facilities') return null;
    return stmt(
      `SELECT facility_id FROM resident_facility_links WHERE resident_id = ? AND facility_id IN (${scope.facilityIds.map(() => '?').join(',')})`,
      [key.value, ...scope.facilityIds],
    );
  }

  /** {@link ResidentsService.isVisibleTo} from the result of {@link ResidentsService.visibilityStatement} (same rule). */
  isVisibleFrom(user: AuthUser, resident: Resident, key: ResidentKey, links: SqlResult | undefined): boolean {
    if (!key.checkVisibility) return true;
    const scope = residentScopeOf(user);
    switch (scope.kind) {
      case 'county':
        return true;
      case 'facilities':
        return links !== undefined && rowsOf<{ facility_id: string }>(links).length > 0;
      case 'home':
        return resident.livingArrangement === 'home';
      case 'none':
        return false;
    }
  }

  /**
   * Whether the result of {@link ResidentsService.visibilityStatement} shows the resident linked to `facilityId`
   * already (false when there was no such read): links are never removed, so {@link linkToFacilityStatement} would
   * change nothing and can be left out.
   */
  isLinkedFrom(links: SqlResult | undefined, facilityId: string): boolean {
    return links !== undefined && rowsOf<{ facility_id: string }>(links).some((r) => r.facility_id === facilityId);
  }

  linkToFacilityStatement(residentId: string, facilityId: string, reason: ResidentFacilityLinkReason): SqlStatement {
    return stmt(
      'INSERT INTO resident_facility_links (resident_id, facility_id, reason) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE reason = reason',
      [residentId, facilityId, reason],
    );
  }

  /** Where the resident lives, for a stay's write batch (the stay's own statistics change covers the resident). */
  setLivingArrangementStatement(residentId: string, value: LivingArrangement): SqlStatement {
    return stmt('UPDATE residents SET living_arrangement = ? WHERE id = ?', [value, residentId]);
  }

  /** Whether the user sees this resident ({@link residentScopeOf}, as the lists). */
  async isVisibleTo(user: AuthUser, resident: Resident, em?: EntityManager): Promise<boolean> {
    const scope = residentScopeOf(user);
    switch (scope.kind) {
      case 'county':
        return true;
      case 'facilities':
        return this.isLinkedToAny(resident.id, [...scope.facilityIds], em);
      case 'home':
        return resident.livingArrangement === 'home';
      case 'none':
        return false;
    }
  }

  /**
   * Locks the resident row (SELECT ... FOR UPDATE) inside a transaction; null when there is none. Plain SQL: this
   * sits on the admission path, where the query builder's per-call cost shows.
   */
  async lockForUpdate(em: EntityManager, id: string): Promise<Resident | null> {
    const [row] = await em.query<ResidentRow[]>(`SELECT ${RESIDENT_COLUMNS} FROM residents WHERE id = ? FOR UPDATE`, [
      id,
    ]);
    return row ? residentFromRow(row) : null;
  }

  /** Lets the managers of a facility see the resident from now on. Idempotent; the first reason is kept. */
  async linkToFacility(
    em: EntityManager,
    residentId: string,
    facilityId: string,
    reason: ResidentFacilityLinkReason,
  ): Promise<void> {
    await em.query(
      'INSERT INTO resident_facility_links (resident_id, facility_id, reason) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE reason = reason',
      [residentId, facilityId, reason],
    );
  }

  /** Residents by id, for views of other libraries (no scope check: the caller checked access to what lists them). */
  async byIds(ids: readonly string[], em?: EntityManager): Promise<Resident[]> {
    if (ids.length === 0) return [];
    const repo = em ? em.getRepository(Resident) : this.residents;
    return repo.findBy({ id: In([...new Set(ids)]) });
  }

  /** Categories of many residents at once. */
  async categoriesOf(ids: string[], em?: EntityManager): Promise<Map<string, ResidentCategory[]>> {
    const result = new Map<string, ResidentCategory[]>();
    if (ids.length === 0) return result;
    const rows = await (em ?? this.residents.manager)
      .getRepository(ResidentCategoryRow)
      .findBy({ residentId: In(ids) });
    for (const row of rows) {
      const list = result.get(row.residentId) ?? [];
      list.push(row.category);
      result.set(row.residentId, list);
    }
    return result;
  }

  /** Whether the resident is linked to (registered, placed or waitlisted at) any of these facilities. */
  async isLinkedToAny(residentId: string, facilityIds: string[], em?: EntityManager): Promise<boolean> {
    if (facilityIds.length === 0) return false;
    const count = await (em ?? this.residents.manager)
      .getRepository(ResidentFacilityLink)
      .countBy({ residentId, facilityId: In(facilityIds) });
    return count > 0;
  }

  // ---- internals --------------------------------------------------------------------------------------------

  /** The normalised number, or a 400 naming `idNumber` (the message never repeats the number). */
  private validIdNumber(raw: string): string {
    const parsed = parseIdNumber(raw, countyDate(new Date()));
    if (!parsed.ok) throw new InvalidInputError(`idNumber: ${parsed.message}`);
    return parsed.value.normalized;
  }

  /**
   * RESIDENT_EXISTS when the number is stored under the previous data key's hash (not re-encrypted yet). A locking
   * read: a rotation re-encrypting that row right now is waited for, and then its new hash meets the insert's
   * unique key instead.
   */
  private async assertNotRegisteredUnderPreviousKey(em: EntityManager, normalized: string): Promise<void> {
    const previous = this.cipher.lookupHashes(normalized).slice(1);
    const [row] = await em.query<{ id: string }[]>('SELECT id FROM residents WHERE id_number_hash IN (?) FOR UPDATE', [
      previous,
    ]);
    if (row) {
      throw new ConflictError(
        'RESIDENT_EXISTS',
        `A resident with ID number ${maskIdNumber(normalized)} is already registered`,
      );
    }
  }

  /** {@link residentScopeOf} on a query builder over `residents r`. */
  private applyScope(qb: SelectQueryBuilder<Resident>, user: AuthUser): void {
    const scope = residentScopeOf(user);
    switch (scope.kind) {
      case 'county':
        return;
      case 'facilities':
        qb.andWhere(
          'EXISTS (SELECT 1 FROM resident_facility_links l WHERE l.resident_id = r.id AND l.facility_id IN (:...scopeFacilityIds))',
          { scopeFacilityIds: scope.facilityIds },
        );
        return;
      case 'home':
        qb.andWhere("r.livingArrangement = 'home'");
        return;
      case 'none':
        qb.andWhere('1 = 0');
        return;
    }
  }

  /** The facility a new resident is registered at (its managers then see it), or null. */
  private async registeringFacility(user: AuthUser, given: string | undefined): Promise<string | null> {
    if (user.role === 'manager') {
      if (given !== undefined) {
        if (!user.facilityIds.includes(given)) throw new InvalidInputError('facilityId: not one of your facilities');
        return given;
      }
      if (user.facilityIds.length === 1) return user.facilityIds[0];
      throw new InvalidInputError('facilityId: required when you manage more than one facility');
    }
    if (given === undefined) return null;
    if (user.role === 'dispatcher')
      throw new InvalidInputError('facilityId: a dispatcher registers residents living at home, not at a facility');
    if (!(await this.facilities.exists(given))) throw new InvalidInputError(`facilityId: unknown facility "${given}"`);
    return given;
  }

  private async replaceCategories(
    em: EntityManager,
    residentId: string,
    categories: ResidentCategory[],
  ): Promise<void> {
    await em.delete(ResidentCategoryRow, { residentId });
    if (categories.length)
      await em.insert(
        ResidentCategoryRow,
        categories.map((category) => ({ residentId, category })),
      );
  }
}
