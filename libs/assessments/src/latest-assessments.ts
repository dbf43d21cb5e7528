import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig, type AuthUser } from '@care/core';
import { LATEST_ASSESSMENT_PROVIDER, type LatestAssessmentProvider } from '@care/residents';
import { Assessment } from './assessment.entity';
import {
  toAssessmentLevelSummary,
  toAssessmentSummary,
  type AssessmentLevelSummary,
  type AssessmentSummary,
} from './assessment.view';
import { DEFAULT_ASSESSMENT_RULES } from './rules';
import { assessmentDetailFor } from './rules/detail-access';

/**
 * The resident's latest assessment as `GET /residents/:id` shows it: the LATEST_ASSESSMENT_PROVIDER of the residents
 * library. Depends on the assessments table only (not on ResidentsService, which needs it).
 */
@Injectable()
export class LatestAssessments implements LatestAssessmentProvider {
  constructor(
    @InjectRepository(Assessment) private readonly assessments: Repository<Assessment>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async latestFor(
    residentId: string,
    em?: EntityManager,
    viewer?: Pick<AuthUser, 'role'>,
  ): Promise<AssessmentSummary | AssessmentLevelSummary | null> {
    const repo = em ? em.getRepository(Assessment) : this.assessments;
    const a = await repo.findOne({
      where: { residentId },
      order: { assessedAt: 'DESC', createdAt: 'DESC', id: 'DESC' },
    });
    if (!a) return null;
    const options = {
      now: new Date(),
      dueWithinDays: this.config.assessment.dueWithinDays,
      careGradeMapping: DEFAULT_ASSESSMENT_RULES.careGradeMapping,
    };
    return viewer && assessmentDetailFor(viewer.role) === 'level'
      ? toAssessmentLevelSummary(a, options)
      : toAssessmentSummary(a, options);
  }
}

/**
 * Binds LATEST_ASSESSMENT_PROVIDER for the whole application. ResidentsService requires it: an application (api,
 * dispatcher, a test) must import this module once, or it fails at boot. Global, because the residents library sits
 * below assessments and must not import it.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Assessment])],
  providers: [LatestAssessments, { provide: LATEST_ASSESSMENT_PROVIDER, useExisting: LatestAssessments }],
  exports: [LATEST_ASSESSMENT_PROVIDER, LatestAssessments],
})
export class LatestAssessmentModule {}
