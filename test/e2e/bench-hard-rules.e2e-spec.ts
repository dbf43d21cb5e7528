import { DataSource, type EntityManager } from 'typeorm';
import { dataSourceOptions } from '@care/core';
import { greedyNearestFeasible, localDateOf } from '@care/dispatch';
import { generateCountyDay, seedCountyDay, seededId } from '@care/dispatch/test-support';
import { createTestConfig } from '@care/testing';
import { hardRulesInSql } from '../bench/support/hard-rules-sql';
import { buildApp } from '../support/apps';

/**
 * The dispatch bench's hard-rule check in SQL: silent on a valid plan (greedy's, written to MySQL), and each rule of
 * domain.md §5 reported when one visit breaks it (each break made inside a transaction that is rolled back).
 */
describe('hard rules checked in SQL (dispatch bench)', () => {
  let db: DataSource;
  let drop: () => Promise<void>;
  const date = localDateOf(Date.now() + 2 * 24 * 3600_000);
  const day = generateCountyDay({ seed: 5, date, orders: 120, caregivers: 20 });
  const id = (raw: string) => seededId('rules', raw);
  const plan = greedyNearestFeasible(day.orders, day.caregivers, day.catalogue);
  // an assignment on a caregiver who has two or more visits that day, and one whose services need a skill
  const perCaregiver = new Map<string, number>();
  for (const a of plan.assignments) perCaregiver.set(a.caregiverId, (perCaregiver.get(a.caregiverId) ?? 0) + 1);
  const busy = plan.assignments.find((a) => (perCaregiver.get(a.caregiverId) ?? 0) >= 2);
  const skilled = plan.assignments.find((a) =>
    day.orders.find((o) => o.id === a.orderId)?.services.includes('health_check'),
  );

  beforeAll(async () => {
    const created = await createTestConfig(buildApp, 'benchRules');
    drop = created.drop;
    db = new DataSource(dataSourceOptions(created.config, { migrations: [] }));
    await db.initialize();
    await seedCountyDay(db, day, { prefix: 'rules' });
    for (const a of plan.assignments) {
      await db.query(
        `UPDATE care_orders SET status = 'assigned', caregiver_id = ?, planned_start = ?, planned_end = ?, assigned_at = NOW(3) WHERE id = ?`,
        [id(a.caregiverId), new Date(a.plannedStart), new Date(a.plannedEnd), id(a.orderId)],
      );
    }
  });
  afterAll(async () => {
    await db?.destroy();
    await drop?.();
  });

  /** The counts with `breakIt` applied, rolled back afterwards. */
  async function countsWith(breakIt: (em: EntityManager) => Promise<unknown>): Promise<Record<string, number>> {
    const runner = db.createQueryRunner();
    await runner.startTransaction();
    try {
      await breakIt(runner.manager);
      return await hardRulesInSql(runner.manager);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it('finds nothing on a valid plan (the seed history and greedy placements)', async () => {
    expect(plan.assignments.length).toBeGreaterThan(30);
    expect(busy && skilled).toBeTruthy();
    const counts = await hardRulesInSql(db);
    expect(Object.keys(counts)).toHaveLength(11);
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  });

  it.each([
    [
      'rule 1 skills',
      (em: EntityManager) =>
        em.query(`DELETE FROM caregiver_skills WHERE caregiver_id = ? AND skill = 'health'`, [
          id(skilled!.caregiverId),
        ]),
    ],
    [
      'rule 1 active',
      (em: EntityManager) => em.query(`UPDATE caregivers SET active = 0 WHERE id = ?`, [id(busy!.caregiverId)]),
    ],
    [
      'rule 2 circle',
      (em: EntityManager) =>
        em.query(
          `UPDATE residents r JOIN care_orders o ON o.resident_id = r.id SET r.lat = r.lat + 0.6 WHERE o.id = ?`,
          [id(busy!.orderId)],
        ),
    ],
    [
      'rule 3 window',
      (em: EntityManager) =>
        em.query(`UPDATE care_orders SET window_start = planned_start + INTERVAL 1 MINUTE WHERE id = ?`, [
          id(busy!.orderId),
        ]),
    ],
    [
      'rule 3 duration',
      (em: EntityManager) =>
        em.query(`UPDATE care_orders SET duration_minutes = duration_minutes + 5 WHERE id = ?`, [id(busy!.orderId)]),
    ],
    [
      'rule 3 shift',
      (em: EntityManager) =>
        em.query(`UPDATE caregivers SET shift_end = '07:00' WHERE id = ?`, [id(busy!.caregiverId)]),
    ],
    [
      'rule 4 overlap',
      async (em: EntityManager) => {
        // a second visit of the same caregiver on top of the first (same slot)
        const other = plan.assignments.find((a) => a.caregiverId === busy!.caregiverId && a.orderId !== busy!.orderId)!;
        await em.query(`UPDATE care_orders SET planned_start = ?, planned_end = ? WHERE id = ?`, [
          new Date(busy!.plannedStart),
          new Date(busy!.plannedEnd),
          id(other.orderId),
        ]);
        await em.query(
          `UPDATE care_orders SET window_start = LEAST(window_start, planned_start), window_end = GREATEST(window_end, planned_end), duration_minutes = TIMESTAMPDIFF(MINUTE, planned_start, planned_end) WHERE id = ?`,
          [id(other.orderId)],
        );
      },
    ],
    [
      'rule 4 travel',
      async (em: EntityManager) => {
        // the caregiver's second visit moved to start the minute the first ends: no time to travel between homes
        const [first, second] = plan.assignments
          .filter((a) => a.caregiverId === busy!.caregiverId)
          .sort((a, b) => a.plannedStart - b.plannedStart);
        await em.query(
          `UPDATE care_orders SET planned_start = ?, planned_end = ?, window_start = LEAST(window_start, ?) WHERE id = ?`,
          [
            new Date(first.plannedEnd),
            new Date(first.plannedEnd + second.plannedEnd - second.plannedStart),
            new Date(first.plannedEnd),
            id(second.orderId),
          ],
        );
      },
    ],
    [
      'rule 5 capacity',
      (em: EntityManager) =>
        em.query(`UPDATE caregivers SET max_daily_visits = 1 WHERE id = ?`, [id(busy!.caregiverId)]),
    ],
    [
      'rule 5 declined',
      (em: EntityManager) =>
        em.query(`INSERT INTO order_declines (order_id, caregiver_id, reason) VALUES (?, ?, 'test')`, [
          id(busy!.orderId),
          id(busy!.caregiverId),
        ]),
    ],
    [
      'rule 6 one slot',
      (em: EntityManager) =>
        em.query(`UPDATE care_orders SET planned_start = NULL, planned_end = NULL WHERE id = ?`, [id(busy!.orderId)]),
    ],
  ])('reports %s', async (rule, breakIt) => {
    const counts = await countsWith(breakIt);
    expect(counts[rule]).toBeGreaterThan(0);
  });
});
