import type { EntityManager } from 'typeorm';
import type { AuthUser } from '@care/core';

/**
 * Extension point for the assessments library: `GET /residents/:id` shows the resident's latest assessment
 * through this provider (null when the resident has none).
 *
 * Required by ResidentsService: the application binds it by importing LatestAssessmentModule (global) of the
 * assessments library once; composed without it, the application fails at boot.
 */
export interface LatestAssessmentProvider {
  /**
   * The resident's latest assessment as the API shows it (e.g. `{ id, level, levelName, assessedAt, validUntil }`), or
   * null. With `viewer`, only what that role may see (dispatcher and bureau: level, grade and validity).
   */
  latestFor(residentId: string, em?: EntityManager, viewer?: Pick<AuthUser, 'role'>): Promise<object | null>;
}

export const LATEST_ASSESSMENT_PROVIDER = Symbol('LATEST_ASSESSMENT_PROVIDER');
