/** Reasons for an assessment and the number of assessors who sign it (domain.md §1 "Other rules"). */

export const ASSESSMENT_REASONS = ['initial', 'periodic', 'condition_change', 'dispute', 'other'] as const;
export type AssessmentReason = (typeof ASSESSMENT_REASONS)[number];

export const ASSESSMENT_REASON_NAMES: Readonly<Record<AssessmentReason, { readonly zh: string; readonly en: string }>> =
  {
    initial: { zh: '首次评估', en: 'initial' },
    periodic: { zh: '常规评估', en: 'periodic' },
    condition_change: { zh: '即时评估', en: 'condition change' },
    dispute: { zh: '复评', en: 'dispute' },
    other: { zh: '其他', en: 'other' },
  };

/** Two assessors sign each assessment by default (configurable). */
export const DEFAULT_REQUIRED_ASSESSORS = 2;
