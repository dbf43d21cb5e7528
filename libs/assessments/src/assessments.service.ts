import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import {
  APP_CONFIG,
  AppConfig,
  AuthUser,
  ForbiddenError,
  TransactionRunner,
  auditContext,
  InvalidInputError,
  NotFoundError,
  Page,
  countyInstant,
  isCalendarDate,
  seesWholeCounty,
  toCountyIso,
  rowsOf,
  stmt,
  type SqlResult,
  type SqlStatement,
} from '@care/core';
import { residentFactsAround, writeStatsChanges } from '@care/stats/outbox';
import { ResidentsService } from '@care/residents';
import { Assessment } from './assessment.entity';
import { LatestAssessments } from './latest-assessments';

interface ValidLevelRow {
  id: string;
  resident_id: string;
  level: number | string;
  assessed_at: Date;
  valid_until: Date | null;
}
import {
  toAssessmentLevelView,
  toAssessmentView,
  type AssessmentLevelSummary,
  type AssessmentLevelView,
  type AssessmentSummary,
  type AssessmentView,
  type ViewOptions,
} from './assessment.view';
import { assessmentDetailFor } from './rules/detail-access';
import type {
  CreateAssessmentDto,
  DueAssessmentsQueryDto,
  DueStatus,
  ImportLegacyAssessmentDto,
} from './dto/assessment.dto';
import {
  DEFAULT_ASSESSMENT_RULES,
  LEGACY_STANDARD,
  isAbilityLevel,
  itemCatalogue,
  mapLegacyLevel,
  evaluateAssessment,
  validateItems,
  validateConditions,
  type AbilityLevel,
  type AssessmentRulesConfig,
  type CareGrade,
  type ItemCatalogue,
} from './rules';

/** How far in the future an assessment time may lie (clock skew between a tablet and the server). */
const FUTURE_SKEW_MS = 5 * 60_000;
const EARLIEST = new Date('2000-01-01T00:00:00+08:00');

/** A resident's valid ability level at some moment, for admission, waitlist and bed-fit rules. */
export interface ValidLevel {
  residentId: string;
  assessmentId: string;
  level: AbilityLevel;
  careGrade: CareGrade;
  assessedAt: Date;
  validUntil: Date;
}

export interface DueListItem {
  resident: {
    id: string;
    name: string;
    idNumberMasked: string;
    gender: string;
    regionCode: string;
    livingArrangement: string;
  };
  status: DueStatus;
  latestAssessment: {
    id: string;
    standard: string;
    assessedAt: string | null;
    level: number;
    validUntil: string | null;
  } | null;
  /** Whole days from now to validUntil (negative once expired); null without a valid-able assessment. */
  daysLeft: number | null;
}

type DueRow = {
  id: string;
  name: string;
  id_number_masked: string;
  gender: string;
  region_code: string;
  living_arrangement: string;
  a_id: string | null;
  a_standard: string | null;
  a_assessed_at: Date | string | null;
  a_level: number | string | null;
  a_valid_until: Date | string | null;
};

const asDate = (v: Date | string | null): Date | null =>
  v === null ? null : v instanceof Date ? v : new Date(`${v.replace(' ', 'T')}Z`);

function parseWhen(raw: string, field: string): Date {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? countyInstant(raw) : new Date(raw);
  if (Number.isNaN(at.getTime()) || !isCalendarDate(raw.slice(0, 10)))
    throw new InvalidInputError(`${field}: not a real date`);
  if (at.getTime() > Date.now() + FUTURE_SKEW_MS) throw new InvalidInputError(`${field}: must not be in the future`);
  if (at.getTime() < EARLIEST.getTime()) throw new InvalidInputError(`${field}: must be in 2000 or later`);
  return at;
}

@Injectable()
export class AssessmentsService {
  private readonly rules: AssessmentRulesConfig;

  constructor(
    @InjectRepository(Assessment) private readonly assessments: Repository<Assessment>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly residents: ResidentsService,
    private readonly tx: TransactionRunner,
    private readonly latest: LatestAssessments,
  ) {
    this.rules = { ...DEFAULT_ASSESSMENT_RULES, validityMonths: config.assessment.validityMonths };
  }

  private viewOptions(now = new Date()): ViewOptions {
    return { now, dueWithinDays: this.config.assessment.dueWithinDays, careGradeMapping: this.rules.careGradeMapping };
  }

  catalogue(): ItemCatalogue {
    return itemCatalogue();
  }

  // ---- HTTP use cases -------------------------------------------------------------------------------------

  async create(user: AuthUser, residentId: string, dto: CreateAssessmentDto): Promise<AssessmentView> {
    auditContext.note({ residentIds: [residentId] });
    this.assertMayAssess(user);
    await this.residents.assertVisible(user, residentId);
    const assessedAt = parseWhen(dto.assessedAt, 'assessedAt');
    const assessors = this.checkAssessors(dto.assessors, this.config.assessment.requiredAssessors);
    const items = validateItems(dto.items);
    const conditions = validateConditions(dto.conditions);
    if (!items.ok || !conditions.ok) {
      const issues = [...(items.ok ? [] : items.issues), ...(conditions.ok ? [] : conditions.issues)];
      throw new InvalidInputError(issues.map((i) => i.message).join('; '));
    }
    const o = evaluateAssessment(items.value, conditions.value, assessedAt, this.rules);
    const id = randomUUID();
    auditContext.note({ entity: 'assessment', ids: [id], residentIds: [residentId] });
    // through TransactionRunner so that the audit event commits with the assessment
    await this.tx.run(async (em) => {
      // statistics: the elder's marker (the assessment moves the assessment figures; statistics read the facts)
      const facts = residentFactsAround('assessments', residentId);
      await writeStatsChanges(em, facts.before);
      await em.insert(Assessment, {
        id,
        residentId,
        standard: 'GB/T 42195-2022',
        assessedAt,
        reason: dto.reason,
        assessors,
        items: items.value,
        conditions: conditions.value,
        scoreSelfCare: o.scores.selfCare,
        scoreMobility: o.scores.mobility,
        scoreMentalState: o.scores.mentalState,
        scorePerceptionSocial: o.scores.perceptionSocial,
        totalScore: o.total,
        preliminaryLevel: o.preliminaryLevel,
        level: o.level,
        adjustmentReasons: [...o.reasons],
        validUntil: o.validUntil,
        legacyLevel: null,
        legacyLevelName: null,
        needsReassessment: false,
        note: dto.note?.trim() || null,
        createdBy: user.id,
      });
      await writeStatsChanges(em, [facts.after]);
    });
    return toAssessmentView(await this.assessments.findOneByOrFail({ id }), this.viewOptions());
  }

  async importLegacy(user: AuthUser, residentId: string, dto: ImportLegacyAssessmentDto): Promise<AssessmentView> {
    auditContext.note({ residentIds: [residentId] });
    this.assertMayAssess(user);
    await this.residents.assertVisible(user, residentId);
    const assessedAt = parseWhen(dto.assessedAt, 'assessedAt');
    const mapped = mapLegacyLevel({ levelName: dto.levelName, legacyLevel: dto.legacyLevel });
    if (!mapped.ok) throw new InvalidInputError(`levelName: ${mapped.message}`);
    const assessors = dto.assessors ? this.checkAssessors(dto.assessors, 0) : [];
    const id = randomUUID();
    auditContext.note({ entity: 'assessment', ids: [id], residentIds: [residentId] });
    // through TransactionRunner so that the audit event commits with the assessment
    await this.tx.run(async (em) => {
      // statistics: the elder's marker (the assessment moves the assessment figures; statistics read the facts)
      const facts = residentFactsAround('assessments', residentId);
      await writeStatsChanges(em, facts.before);
      await em.insert(Assessment, {
        id,
        residentId,
        standard: LEGACY_STANDARD,
        assessedAt,
        reason: 'other',
        assessors,
        items: null,
        conditions: null,
        scoreSelfCare: null,
        scoreMobility: null,
        scoreMentalState: null,
        scorePerceptionSocial: null,
        totalScore: null,
        preliminaryLevel: null,
        level: mapped.value.level,
        adjustmentReasons: [],
        validUntil: null,
        legacyLevel: mapped.value.legacyLevel,
        legacyLevelName: mapped.value.legacyLevelName,
        needsReassessment: true,
        note: dto.note?.trim() || null,
        createdBy: user.id,
      });
      await writeStatsChanges(em, [facts.after]);
    });
    return toAssessmentView(await this.assessments.findOneByOrFail({ id }), this.viewOptions());
  }

  async list(
    user: AuthUser,
    residentId: string,
    page: { limit: number; offset: number },
  ): Promise<Page<AssessmentView | AssessmentLevelView>> {
    await this.residents.assertVisible(user, residentId);
    const [rows, total] = await this.assessments.findAndCount({
      where: { residentId },
      order: { assessedAt: 'DESC', createdAt: 'DESC', id: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
    const o = this.viewOptions();
    const view = assessmentDetailFor(user.role) === 'full' ? toAssessmentView : toAssessmentLevelView;
    return { items: rows.map((a) => view(a, o)), total };
  }

  async get(user: AuthUser, id: string): Promise<AssessmentView | AssessmentLevelView> {
    const a = await this.assessments.findOneBy({ id });
    if (!a) throw new NotFoundError('Assessment', id);
    try {
      await this.residents.assertVisible(user, a.residentId);
    } catch (error) {
      if (error instanceof NotFoundError) throw new NotFoundError('Assessment', id);
      throw error;
    }
    return assessmentDetailFor(user.role) === 'full'
      ? toAssessmentView(a, this.viewOptions())
      : toAssessmentLevelView(a, this.viewOptions());
  }

  /**
   * Residents whose latest assessment has expired, falls due within `withinDays` (config default 30), or is an
   * imported legacy result; optionally those never assessed. Soonest expiry first. Scoped like residents.
   */
  async due(user: AuthUser, query: DueAssessmentsQueryDto): Promise<Page<DueListItem>> {
    if (user.role === 'caregiver') throw new ForbiddenError();
    const now = new Date();
    const withinDays = query.withinDays ?? this.config.assessment.dueWithinDays;
    const horizon = new Date(now.getTime() + withinDays * 86_400_000);
    const where: string[] = [];
    const params: unknown[] = [now, horizon];
    // scope
    if (!seesWholeCounty(user)) {
      if (user.role === 'manager') {
        if (user.facilityIds.length === 0) return { items: [], total: 0 };
        where.push(
          `EXISTS (SELECT 1 FROM resident_facility_links l WHERE l.resident_id = r.id AND l.facility_id IN (${user.facilityIds.map(() => '?').join(',')}))`,
        );
        params.push(...user.facilityIds);
      } else if (user.role === 'dispatcher') {
        where.push("r.living_arrangement = 'home'");
      } else {
        return { items: [], total: 0 };
      }
    }
    if (query.regionCode) {
      where.push('r.region_code = ?');
      params.push(query.regionCode);
    }
    if (query.livingArrangement) {
      where.push('r.living_arrangement = ?');
      params.push(query.livingArrangement);
    }
    if (query.category) {
      where.push('EXISTS (SELECT 1 FROM resident_categories c WHERE c.resident_id = r.id AND c.category = ?)');
      params.push(query.category);
    }
    const statusSql: Record<DueStatus, string> = {
      expired: "(a.standard = 'GB/T 42195-2022' AND a.valid_until <= @now)",
      due: "(a.standard = 'GB/T 42195-2022' AND a.valid_until > @now AND a.valid_until <= @horizon)",
      legacy: "(a.standard <> 'GB/T 42195-2022')",
      none: '(a.id IS NULL)',
    };
    const statuses: DueStatus[] = query.status ? [query.status] : ['expired', 'due', 'legacy'];
    where.push(`(${statuses.map((s) => statusSql[s]).join(' OR ')})`);

    // @now / @horizon are bound once each through a derived table, so the placeholders stay in order
    const from = `
      FROM (SELECT ? AS now_at, ? AS horizon_at) p
      JOIN residents r
      LEFT JOIN (
        SELECT x.id, x.resident_id, x.standard, x.assessed_at, x.level, x.valid_until,
               ROW_NUMBER() OVER (PARTITION BY x.resident_id ORDER BY x.assessed_at DESC, x.created_at DESC, x.id DESC) AS rn
        FROM assessments x
      ) a ON a.resident_id = r.id AND a.rn = 1
      WHERE ${where.map((w) => w.replace(/@now/g, 'p.now_at').replace(/@horizon/g, 'p.horizon_at')).join(' AND ')}`;
    const em = this.assessments.manager;
    const [count] = await em.query<{ n: number | string }[]>(`SELECT COUNT(*) AS n ${from}`, params);
    const rows = await em.query<DueRow[]>(
      `SELECT r.id, r.name, r.id_number_masked, r.gender, r.region_code, r.living_arrangement,
              a.id AS a_id, a.standard AS a_standard, a.assessed_at AS a_assessed_at, a.level AS a_level, a.valid_until AS a_valid_until
       ${from}
       ORDER BY (a.valid_until IS NULL) ASC, a.valid_until ASC, a.assessed_at ASC, r.name ASC, r.id ASC
       LIMIT ? OFFSET ?`,
      [...params, query.limit, query.offset],
    );
    const items = rows.map((row): DueListItem => {
      const validUntil = asDate(row.a_valid_until);
      let status: DueStatus;
      if (row.a_id === null) status = 'none';
      else if (row.a_standard !== 'GB/T 42195-2022' || validUntil === null) status = 'legacy';
      else status = validUntil.getTime() <= now.getTime() ? 'expired' : 'due';
      return {
        resident: {
          id: row.id,
          name: row.name,
          idNumberMasked: row.id_number_masked,
          gender: row.gender,
          regionCode: row.region_code,
          livingArrangement: row.living_arrangement,
        },
        status,
        latestAssessment:
          row.a_id === null
            ? null
            : {
                id: row.a_id,
                standard: row.a_standard ?? '',
                assessedAt: toCountyIso(asDate(row.a_assessed_at)),
                level: Number(row.a_level),
                validUntil: toCountyIso(validUntil),
              },
        daysLeft: validUntil === null ? null : Math.floor((validUntil.getTime() - now.getTime()) / 86_400_000),
      };
    });
    return { items, total: Number(count.n) };
  }

  // ---- for other libraries ---------------------------------------------------------------------------------

  /**
   * The newest assessment, short form, with care grade; for a viewer that sees the level only (dispatcher, bureau),
   * without total and preliminary level. Built by LatestAssessments (the residents library's
   * LATEST_ASSESSMENT_PROVIDER).
   */
  latestFor(
    residentId: string,
    em?: EntityManager,
    viewer?: Pick<AuthUser, 'role'>,
  ): Promise<AssessmentSummary | AssessmentLevelSummary | null> {
    return this.latest.latestFor(residentId, em, viewer);
  }

  /**
   * The resident's valid level at `at` (default now): the latest GB/T 42195-2022 assessment made by then,
   * if its validity has not ended. Null when there is none (legacy results are never valid).
   */
  async validLevelOf(residentId: string, at = new Date(), em?: EntityManager): Promise<ValidLevel | null> {
    return (await this.validLevelsOf([residentId], at, em)).get(residentId) ?? null;
  }

  /** `validLevelOf` for many residents at once. */
  async validLevelsOf(residentIds: string[], at = new Date(), em?: EntityManager): Promise<Map<string, ValidLevel>> {
    const ids = [...new Set(residentIds)];
    if (ids.length === 0) return new Map();
    // raw SQL with only the columns needed: this runs inside every admission's transaction
    const statement = this.validLevelsStatement(ids.map(() => '?').join(','), ids, at);
    const rows = await (em ?? this.assessments.manager).query<ValidLevelRow[]>(statement.sql, [...statement.params]);
    return this.validLevelsFrom(rows, at);
  }

  /**
   * The read behind `validLevelOf`, as a statement for a hot-path transaction: `idsSql` lists the residents' ids as
   * SQL (placeholders, or an expression) with `params` for it. Read its result with {@link validLevelsFrom}.
   */
  validLevelsStatement(idsSql: string, params: readonly unknown[], at: Date): SqlStatement {
    return stmt(
      `SELECT id, resident_id, level, assessed_at, valid_until FROM assessments
        WHERE resident_id IN (${idsSql}) AND standard = ? AND assessed_at <= ?
        ORDER BY resident_id ASC, assessed_at DESC, created_at DESC, id DESC`,
      [...params, 'GB/T 42195-2022', at],
    );
  }

  /** The valid level of each resident from the rows of {@link validLevelsStatement}. */
  validLevelsFrom(result: SqlResult | readonly ValidLevelRow[], at: Date): Map<string, ValidLevel> {
    const levels = new Map<string, ValidLevel>();
    const rows = rowsOf<ValidLevelRow>(result as SqlResult);
    const seen = new Set<string>();
    for (const a of rows) {
      if (seen.has(a.resident_id)) continue;
      seen.add(a.resident_id);
      const level = Number(a.level);
      const validUntil = a.valid_until === null ? null : new Date(a.valid_until);
      if (validUntil && validUntil.getTime() > at.getTime() && isAbilityLevel(level)) {
        levels.set(a.resident_id, {
          residentId: a.resident_id,
          assessmentId: a.id,
          level,
          careGrade: this.rules.careGradeMapping[level],
          assessedAt: new Date(a.assessed_at),
          validUntil,
        });
      }
    }
    return levels;
  }

  // ---- internals --------------------------------------------------------------------------------------------

  /** Admin, manager and dispatcher record assessments; bureau reads only; caregivers neither. */
  private assertMayAssess(user: AuthUser): void {
    if (user.role !== 'admin' && user.role !== 'manager' && user.role !== 'dispatcher') {
      throw new ForbiddenError('Your role may not record assessments');
    }
  }

  private checkAssessors(raw: string[], required: number): string[] {
    const names = raw.map((n) => n.trim());
    const distinct = new Set(names);
    const problems: string[] = [];
    if (distinct.size !== names.length) problems.push('assessors: each assessor signs once');
    if (distinct.size < required)
      problems.push(`assessors: ${required} different assessors must sign (got ${distinct.size})`);
    if (problems.length) throw new InvalidInputError(problems.join('; '));
    return names;
  }
}
