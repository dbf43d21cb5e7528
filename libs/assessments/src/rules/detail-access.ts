/**
 * Who sees an assessment in full (item scores, dimension scores, total, conditions, adjustment reasons, assessors'
 * notes) and who sees only its outcome (level, care grade, validity). Dispatchers plan visits and the bureau counts
 * levels; neither needs the elder's item-by-item state, which the personal-information law treats as sensitive.
 * Admin and the managers of the elder's facilities (who assess residents in their care) see it all.
 */
export type AssessmentDetail = 'full' | 'level';

export function assessmentDetailFor(role: string): AssessmentDetail {
  return role === 'admin' || role === 'manager' ? 'full' : 'level';
}
