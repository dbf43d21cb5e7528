/**
 * @care/stats/outbox: the statement builders of the statistics outbox (`stats_changes`), which the owners of the
 * tables the coverage figures count (beds, residents, assessments, care-orders, facilities) run in their own
 * transactions. Pure: imports only @care/core (care/imports), never the stats library's Nest side, so an owner can
 * import it while statistics import the owner.
 */
export * from './stats-change';
