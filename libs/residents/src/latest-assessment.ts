import type { EntityManager } from 'typeorm';
import type { AuthUser } from '@care/core';

/**
 * Extension point for the assessments library: `GET /residents/:id` shows the resident's latest assessment
 * through this provider. Without one, `latestAssessment` is null.
 *
 * To plug it in, provide the token from any module the api imports, e.g.
 * `{ provide: LATEST_ASSESSMENT_PROVIDER, useExisting: AssessmentsService }` in AssessmentsModule (exporting it is
 * not needed: ResidentsService looks the token up application-wide once the modules are built).
 */
export interface LatestAssessmentProvider {
  /**
   * The resident's latest assessment as the API shows it (e.g. `{ id, level, levelName, assessedAt, validUntil }`), or
   * null. With `viewer`, only what that role may see (dispatcher and bureau: level, grade and validity).
   */
  latestFor(residentId: string, em?: EntityManager, viewer?: Pick<AuthUser, 'role'>): Promise<object | null>;
}

export const LATEST_ASSESSMENT_PROVIDER = Symbol('LATEST_ASSESSMENT_PROVIDER');
