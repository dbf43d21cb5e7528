/**
 * Which library owns each table: the only library whose code writes it (others call the owner's service). Declared
 * once, here; the ownership check (table-ownership.spec.ts) holds it against the migrations (a table is created by its
 * owner's migrations) and against every library's source. A new table goes here with the library that creates it.
 */
export const TABLE_OWNERS: Record<string, string> = {
  assessments: 'assessments',

  audit_events: 'audit',
  audit_event_residents: 'audit',

  users: 'auth',
  user_facilities: 'auth',

  beds: 'beds',
  stays: 'beds',
  bed_occupancies: 'beds',
  waitlist_entries: 'beds',

  care_orders: 'care-orders',
  care_order_services: 'care-orders',
  care_order_batches: 'care-orders',
  care_order_batch_items: 'care-orders',
  care_visits: 'care-orders',
  caregivers: 'care-orders',
  caregiver_skills: 'care-orders',
  caregiver_days: 'care-orders',
  idempotency_keys: 'care-orders',
  order_declines: 'care-orders',
  service_points: 'care-orders',
  services: 'care-orders',

  alerts: 'emergency',
  emergency_calls: 'emergency',
  resident_devices: 'emergency',

  facilities: 'facilities',

  regions: 'regions',

  residents: 'residents',
  resident_categories: 'residents',
  resident_facility_links: 'residents',

  stats_coverage_months: 'stats',
  stats_coverage_snapshots: 'stats',
  stats_planned_capacity: 'stats',
  stats_changes: 'stats',
  stats_change_consumer: 'stats',
  stats_resident_facts: 'stats',
};
