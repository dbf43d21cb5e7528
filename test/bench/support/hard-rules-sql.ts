import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_TRAVEL_MODEL } from '@care/core';

/** Statuses of an order that holds a slot on a caregiver's day. */
const PLACED = `('assigned', 'accepted', 'in_progress', 'completed')`;

/** Travel minutes of the model (domain.md §5) as SQL; a hair of slack so float noise never reports a false break. */
function travelSql(lat1: string, lng1: string, lat2: string, lng2: string, kind: string): string {
  const m = DEFAULT_TRAVEL_MODEL;
  const h = `POW(SIN(RADIANS(${lat2} - ${lat1}) / 2), 2) + COS(RADIANS(${lat1})) * COS(RADIANS(${lat2})) * POW(SIN(RADIANS(${lng2} - ${lng1}) / 2), 2)`;
  const km = `2 * ${m.earthRadiusKm} * ASIN(LEAST(1, SQRT(${h}))) * ${m.detourFactor}`;
  return `GREATEST(0, CEIL(${km} / (CASE WHEN ${kind} = 'urban' THEN ${m.urbanSpeedKmh} ELSE ${m.ruralSpeedKmh} END) * 60 - 0.000001))`;
}

/**
 * Every hard rule of domain.md §5 checked by SQL over what MySQL holds (every visit that holds a slot, the seed's
 * history included); each entry counts the visits (or caregiver-days) breaking it. County time is UTC+8 (stored UTC).
 */
export async function hardRulesInSql(db: DataSource | EntityManager): Promise<Record<string, number>> {
  const m = DEFAULT_TRAVEL_MODEL;
  const visits = `
    SELECT o.id, o.caregiver_id, o.window_start, o.window_end, o.duration_minutes, o.circle_widened,
           o.planned_start AS s, o.planned_end AS e, DATE(o.planned_start + INTERVAL 8 HOUR) AS d,
           COALESCE(r.lat, g.lat) AS lat, COALESCE(r.lng, g.lng) AS lng, COALESCE(g.kind, 'rural') AS kind,
           sp.lat AS sp_lat, sp.lng AS sp_lng, c.shift_start, c.shift_end, c.max_daily_visits, c.active
      FROM care_orders o
      JOIN caregivers c ON c.id = o.caregiver_id
      JOIN service_points sp ON sp.id = c.service_point_id
      LEFT JOIN residents r ON r.id = o.resident_id
      LEFT JOIN regions g ON g.code = r.region_code
     WHERE o.status IN ${PLACED}`;
  const one = async (sql: string): Promise<number> =>
    Number(((await db.query(sql)) as { n: string | null }[])[0]?.n ?? 0);
  const day = `PARTITION BY caregiver_id, d ORDER BY s, id`;
  const routes = `
    WITH v AS (${visits}),
         w AS (SELECT v.*, LAG(lat) OVER (${day}) AS p_lat, LAG(lng) OVER (${day}) AS p_lng, LAG(e) OVER (${day}) AS p_e,
                      ROW_NUMBER() OVER (${day}) AS rn, COUNT(*) OVER (PARTITION BY caregiver_id, d) AS cnt FROM v)`;
  return {
    // 1. every skill the services need, and an active caregiver
    'rule 1 skills': await one(`
      SELECT COUNT(DISTINCT o.id) AS n FROM care_orders o
        JOIN care_order_services os ON os.order_id = o.id JOIN services sv ON sv.code = os.service_code
       WHERE o.status IN ${PLACED} AND sv.skill IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM caregiver_skills k WHERE k.caregiver_id = o.caregiver_id AND k.skill = sv.skill)`),
    'rule 1 active': await one(`
      SELECT COUNT(*) AS n FROM care_orders o JOIN caregivers c ON c.id = o.caregiver_id
       WHERE o.status IN ('assigned', 'accepted') AND c.active = 0`),
    // 2. inside the service circle (an emergency order's widened circle is the documented exception)
    'rule 2 circle': await one(`
      SELECT COUNT(*) AS n FROM (${visits}) v
       WHERE v.circle_widened = 0
         AND ${travelSql('v.sp_lat', 'v.sp_lng', 'v.lat', 'v.lng', 'v.kind')} >
             (CASE WHEN v.kind = 'urban' THEN ${m.urbanServiceCircleMinutes} ELSE ${m.ruralServiceCircleMinutes} END)`),
    // 3. inside the window and the shift, for exactly the order's duration
    'rule 3 window': await one(
      `SELECT COUNT(*) AS n FROM (${visits}) v WHERE v.s < v.window_start OR v.e > v.window_end`,
    ),
    'rule 3 duration': await one(
      `SELECT COUNT(*) AS n FROM (${visits}) v WHERE TIMESTAMPDIFF(SECOND, v.s, v.e) <> 60 * v.duration_minutes`,
    ),
    'rule 3 shift': await one(`
      SELECT COUNT(*) AS n FROM (${visits}) v
       WHERE v.s + INTERVAL 8 HOUR < TIMESTAMP(v.d, v.shift_start) OR v.e + INTERVAL 8 HOUR > TIMESTAMP(v.d, v.shift_end)`),
    // 4. no overlap on a caregiver's day, and travel fits: from the service point, between visits, back
    'rule 4 overlap': await one(`${routes} SELECT COUNT(*) AS n FROM w WHERE p_e IS NOT NULL AND s < p_e`),
    'rule 4 travel': await one(`${routes}
      SELECT SUM(
               (p_e IS NOT NULL AND s >= p_e AND TIMESTAMPDIFF(SECOND, p_e, s) < 60 * ${travelSql('p_lat', 'p_lng', 'lat', 'lng', 'kind')})
             + (rn = 1 AND TIMESTAMPDIFF(SECOND, TIMESTAMP(d, shift_start), s + INTERVAL 8 HOUR) < 60 * ${travelSql('sp_lat', 'sp_lng', 'lat', 'lng', 'kind')})
             + (rn = cnt AND TIMESTAMPDIFF(SECOND, e + INTERVAL 8 HOUR, TIMESTAMP(d, shift_end)) < 60 * ${travelSql('lat', 'lng', 'sp_lat', 'sp_lng', 'kind')})
             ) AS n FROM w`),
    // 5. at most maxDailyVisits a day (counted per caregiver-day); never to a caregiver who declined
    'rule 5 capacity': await one(`${routes} SELECT COUNT(*) AS n FROM w WHERE rn = cnt AND cnt > max_daily_visits`),
    'rule 5 declined': await one(`
      SELECT COUNT(*) AS n FROM care_orders o JOIN order_declines dcl ON dcl.order_id = o.id AND dcl.caregiver_id = o.caregiver_id
       WHERE o.status IN ${PLACED}`),
    // 6. one caregiver at a time: a placed order carries exactly one caregiver and one slot
    'rule 6 one slot': await one(`
      SELECT COUNT(*) AS n FROM care_orders o
       WHERE o.status IN ${PLACED} AND (o.caregiver_id IS NULL OR o.planned_start IS NULL OR o.planned_end IS NULL)`),
  };
}
