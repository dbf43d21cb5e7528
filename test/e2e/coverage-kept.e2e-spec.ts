import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource, type EntityManager } from 'typeorm';
import { AuthService } from '@care/auth';
import {
  bedCountDeltas,
  bedStatsChangeStatement,
  residentFactsAround,
  residentStatsChangeStatement,
  writeStatsChanges,
} from '@care/stats/outbox';
import { buildIdNumber, seedDemo } from '@care/demo';
import {
  computeIndicators,
  countyMonth,
  CoverageRepository,
  CoverageService,
  KeptFiguresRepository,
  previousMonth,
  sumCounts,
  type CoverageReport,
  type StatsPeriod,
  type Township,
  type TownshipFigures,
} from '@care/stats';
import { ADMIN_PASSWORD, auth, createTestConfig } from '@care/testing';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { createSeedContext } from '../../apps/api/src/cli/seed-demo';
import { buildApp } from '../support/apps';

jest.setTimeout(300_000);

/**
 * The coverage figures are kept per township and brought up to date only where something changed: the owners of
 * the source tables write an outbox row with each change (stats_changes), which statistics consume. On the demo
 * county (28 townships), every kind of change is made through the api (or, for the doorstep tables and deletions
 * the api does not make, by SQL together with the owner's statistics statement, as an owner writes them) and
 * after each one the served figures must equal a full recomputation from the tables, while only the townships
 * the change touched were recomputed (a counted change, such as a bed closed, recomputes none: it is applied).
 */
describe('coverage figures kept per township (e2e, demo county)', () => {
  const month = previousMonth(countyMonth(new Date()));
  let app: INestApplication;
  let db: DataSource;
  let drop: () => Promise<void>;
  let token: string;
  let service: CoverageService;
  let repo: CoverageRepository;
  /** Every township recomputed from the tables, as they are now. */
  let fullRecount: (period: StatsPeriod, townships: Township[]) => Promise<Map<string, TownshipFigures>>;
  /** The month and townships each recomputation was asked for; undefined = all of them. */
  let recomputed: { month: string; only: string[] | undefined }[] = [];

  beforeAll(async () => {
    const made = await createTestConfig(buildApp, 'keptcov');
    drop = made.drop;
    const ctx = await createSeedContext(made.config);
    try {
      await seedDemo(ctx, { month });
    } finally {
      await ctx.close();
    }
    app = await createApiApp(made.config);
    await app.init();
    db = app.get(DataSource);
    token = (await app.get(AuthService).login('admin', ADMIN_PASSWORD)).accessToken;
    service = app.get(CoverageService);
    repo = app.get(CoverageRepository);
    const original = repo.countsByTownship.bind(repo);
    fullRecount = async (period, townships) => original(period, townships, await repo.serviceCircles());
    jest.spyOn(repo, 'countsByTownship').mockImplementation((period, townships, circles, only, q) => {
      recomputed.push({ month: period.month, only: only ? [...only].sort() : undefined });
      return original(period, townships, circles, only, q);
    });
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  const api = () => request(app.getHttpServer());
  const send = async (method: 'post' | 'patch', path: string, body: object) => {
    const res = await api()[method](`/api/v1${path}`).set(auth(token)).send(body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  };
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => {
    const rows = (await db.query(sql, params)) as T[];
    if (!rows.length) throw new Error(`no row for ${sql}`);
    return rows[0];
  };

  /** The served figures equal a recomputation of every township from the tables, and are current. */
  async function expectExact(report: CoverageReport, m = month): Promise<void> {
    const period = service.period(m);
    const townships = await repo.townships();
    const fresh: Map<string, TownshipFigures> = await fullRecount(period, townships);
    expect(report.stale).toBe(false);
    expect(report.byRegion.map((r) => [r.regionCode, r.indicators])).toEqual(
      townships.map((t) => [t.code, computeIndicators(fresh.get(t.code)?.counts ?? sumCounts([]))]),
    );
    expect(report.indicators).toEqual(computeIndicators(sumCounts([...fresh.values()].map((f) => f.counts))));
  }

  /**
   * Reads the month's coverage and returns it with the townships recomputed for it (a read brings every month kept
   * open up to date: those of other months are left out).
   */
  async function read(
    m = month,
    via = service,
  ): Promise<{ report: CoverageReport; recomputed: (string[] | undefined)[] }> {
    recomputed = [];
    const report = await via.coverage({ month: m });
    return { report, recomputed: recomputed.filter((r) => r.month === m).map((r) => r.only) };
  }

  /** Runs SQL in one transaction with the owner's statistics statements, as the owning library writes. */
  const asOwner = (work: (em: EntityManager) => Promise<unknown>) => db.transaction(work);
  /** A read whose consumer writes the kept counts, then "dies" before the outbox rows are deleted and it commits. */
  async function readThatCrashesBetweenApplyAndDelete(): Promise<void> {
    const kept = app.get(KeptFiguresRepository);
    const save = kept.save.bind(kept);
    const crash = jest.spyOn(kept, 'save').mockImplementation(async (...args) => {
      await save(...args);
      throw new Error('crashed between apply and delete');
    });
    try {
      await expect(read()).rejects.toThrow('crashed between apply and delete');
    } finally {
      crash.mockRestore();
    }
  }

  const eligibleAtHome = `
    FROM residents r WHERE r.living_arrangement = 'home' AND r.birth_date <= '1960-01-01'
      AND EXISTS (SELECT 1 FROM resident_categories c WHERE c.resident_id = r.id AND c.category IN ('destitute', 'economic_hardship'))`;

  it('the first figures of a month are computed for every township and kept; reading again recomputes nothing', async () => {
    const first = await read();
    expect(first.recomputed).toEqual([undefined]);
    await expectExact(first.report);
    const again = await read();
    expect(again.recomputed).toEqual([]);
    expect(again.report).toEqual(first.report);
    const kept = await one<{ n: string }>('SELECT COUNT(*) AS n FROM stats_coverage_snapshots WHERE month = ?', [
      month,
    ]);
    expect(Number(kept.n)).toBe(28);
  });

  it('each change recomputes only the townships it touches, and the figures stay exact', async () => {
    await read();
    const step = async (change: () => Promise<unknown>, expected: string[] | 'all' | 'none') => {
      await change();
      const r = await read();
      await expectExact(r.report);
      if (expected === 'none') expect(r.recomputed).toEqual([]);
      else if (expected === 'all') expect(r.recomputed).toEqual([(await repo.townships()).map((t) => t.code).sort()]);
      else expect(r.recomputed).toEqual([[...new Set(expected)].sort()]);
    };

    // an eligible elder at home is admitted to a vacant bed of an institution, then discharged (the figures move in
    // two townships: the elder's and the institution's)
    const bed = await one<{ id: string; facility_id: string; region_code: string }>(
      `SELECT b.id, b.facility_id, f.region_code FROM beds b JOIN facilities f ON f.id = b.facility_id
       WHERE b.status = 'vacant' AND f.type IN ('welfare_institute', 'nursing_home') ORDER BY b.id LIMIT 1`,
    );
    const elder = await one<{ id: string; region_code: string }>(
      `SELECT r.id, r.region_code ${eligibleAtHome} AND r.region_code <> ? ORDER BY r.id LIMIT 1`,
      [bed.region_code],
    );
    let stayId = '';
    await step(async () => {
      stayId = (
        await send('post', `/facilities/${bed.facility_id}/admissions`, {
          residentId: elder.id,
          bedId: bed.id,
          overrideReason: 'test: level not checked here',
        })
      ).id;
    }, 'none'); // the elder's facts before and after: counted and applied, no township recomputed
    await step(() => send('post', `/stays/${stayId}/discharge`, { reason: 'returned_home' }), 'none');

    // a bed closed
    const vacant = await one<{ id: string; region_code: string }>(
      `SELECT b.id, f.region_code FROM beds b JOIN facilities f ON f.id = b.facility_id
       WHERE b.status = 'vacant' AND f.type IN ('welfare_institute', 'nursing_home') AND b.id <> ? ORDER BY b.id LIMIT 1`,
      [bed.id],
    );
    // a bed closed: a counted change (one bed fewer in service), applied to the kept counts, nothing recomputed
    await step(() => send('patch', `/beds/${vacant.id}`, { status: 'closed' }), 'none');

    // a visit completed (doorstep tables by SQL with the owner's statement, as the caregiver's check-out writes them)
    const open = await one<{ id: string; resident_id: string; region_code: string; window_start: Date }>(
      `SELECT id, resident_id, region_code, window_start FROM care_orders WHERE visit_plan_month = ? AND status <> 'completed' ORDER BY id LIMIT 1`,
      [month],
    );
    await step(
      () =>
        asOwner(async (em) => {
          const facts = residentFactsAround('visits', open.resident_id);
          await writeStatsChanges(em, facts.before);
          await em.query(`UPDATE care_orders SET status = 'completed', completed_at = ? WHERE id = ?`, [
            new Date(new Date(open.window_start).getTime() + 3600_000),
            open.id,
          ]);
          await writeStatsChanges(em, [facts.after]);
        }),
      'none', // the elder's facts before and after: applied
    );

    // the same with the count-again statement: the elder's townships are counted again from the tables
    const next = await one<{ id: string; resident_id: string; region_code: string; window_start: Date }>(
      `SELECT id, resident_id, region_code, window_start FROM care_orders WHERE visit_plan_month = ? AND status <> 'completed' ORDER BY id LIMIT 1`,
      [month],
    );
    await step(
      () =>
        asOwner(async (em) => {
          await em.query(`UPDATE care_orders SET status = 'completed', completed_at = ? WHERE id = ?`, [
            new Date(new Date(next.window_start).getTime() + 3600_000),
            next.id,
          ]);
          await writeStatsChanges(em, [residentStatsChangeStatement('visits', next.resident_id, { month })]);
        }),
      [next.region_code],
    );

    // dispatch traffic alone (an order assigned) changes no figure: nothing is recomputed
    const pending = await one<{ id: string }>(
      `SELECT id FROM care_orders WHERE status <> 'completed' ORDER BY id LIMIT 1`,
    );
    await step(() => db.query(`UPDATE care_orders SET status = 'assigned' WHERE id = ?`, [pending.id]), 'none');

    // an elder's categories change (no longer eligible)
    const another = await one<{ id: string; region_code: string }>(
      `SELECT r.id, r.region_code ${eligibleAtHome} AND r.id <> ? ORDER BY r.id DESC LIMIT 1`,
      [elder.id],
    );
    await step(() => send('patch', `/residents/${another.id}`, { categories: ['low_income'] }), 'none');

    // a caregiver's shift changes: the circles do not, nothing is recomputed; deactivated, the only caregiver of
    // a service point takes its circle away: every township is recomputed
    const caregiver = await one<{ id: string }>(
      `SELECT c.id FROM caregivers c WHERE c.active = 1
         AND (SELECT COUNT(*) FROM caregivers o WHERE o.service_point_id = c.service_point_id AND o.active = 1) = 1
       ORDER BY c.id LIMIT 1`,
    );
    await step(() => send('patch', `/caregivers/${caregiver.id}`, { shiftEnd: '17:30' }), 'none');
    await step(() => send('patch', `/caregivers/${caregiver.id}`, { active: false }), 'all');

    // a facility edited (it could have moved township): every township is recomputed
    const facility = await one<{ comprehensive: number }>('SELECT comprehensive FROM facilities WHERE id = ?', [
      bed.facility_id,
    ]);
    await step(
      () => send('patch', `/facilities/${bed.facility_id}`, { comprehensive: !Number(facility.comprehensive) }),
      'all',
    );
  });

  it('deleted rows: the figures follow (an assessment, a completed visit, a bed deleted with the owner statement)', async () => {
    await read();
    // an eligible elder's only valid assessment deleted: the township counts one elder fewer with a valid one
    const assessed = await one<{ id: string; resident_id: string; region_code: string }>(
      `SELECT a.id, a.resident_id, r.region_code FROM assessments a JOIN residents r ON r.id = a.resident_id
       WHERE r.living_arrangement = 'home' AND r.birth_date <= '1960-01-01'
         AND EXISTS (SELECT 1 FROM resident_categories c WHERE c.resident_id = r.id AND c.category IN ('destitute', 'economic_hardship'))
         AND (SELECT COUNT(*) FROM assessments o WHERE o.resident_id = a.resident_id) = 1
         AND a.assessed_at <= NOW() AND a.valid_until > NOW()
       ORDER BY a.id LIMIT 1`,
    );
    const valid = (r: CoverageReport) =>
      r.byRegion
        .find((x) => x.regionCode === assessed.region_code)
        ?.indicators.find((i) => i.key === 'assessment_coverage')?.numerator ?? -1;
    const before = await read();
    await asOwner(async (em) => {
      await em.query('DELETE FROM assessments WHERE id = ?', [assessed.id]);
      await writeStatsChanges(em, [residentStatsChangeStatement('assessments', assessed.resident_id)]);
    });
    const afterAssessment = await read();
    expect(afterAssessment.recomputed).toEqual([[assessed.region_code]]);
    expect(valid(afterAssessment.report)).toBe(valid(before.report) - 1);
    await expectExact(afterAssessment.report);

    // a completed visit deleted
    const visit = await one<{ id: string; resident_id: string; region_code: string }>(
      `SELECT o.id, o.resident_id, r.region_code FROM care_orders o JOIN residents r ON r.id = o.resident_id
       WHERE o.status = 'completed' AND o.visit_plan_month = ? ORDER BY o.id LIMIT 1`,
      [month],
    );
    await asOwner(async (em) => {
      await em.query('DELETE FROM care_visits WHERE order_id = ?', [visit.id]);
      await em.query('DELETE FROM care_order_services WHERE order_id = ?', [visit.id]);
      await em.query('DELETE FROM care_orders WHERE id = ?', [visit.id]);
      await writeStatsChanges(em, [residentStatsChangeStatement('visits', visit.resident_id, { month })]);
    });
    const afterVisit = await read();
    expect(afterVisit.recomputed).toEqual([[visit.region_code]]);
    await expectExact(afterVisit.report);

    // a vacant nursing bed deleted: a counted change, applied without recomputing
    const bed = await one<{ id: string; facility_id: string; type: string; status: string }>(
      `SELECT b.id, b.facility_id, b.type, b.status FROM beds b JOIN facilities f ON f.id = b.facility_id
       WHERE b.status = 'vacant' AND b.type = 'nursing' AND f.type IN ('welfare_institute', 'nursing_home')
         AND NOT EXISTS (SELECT 1 FROM stays s WHERE s.bed_id = b.id)
         AND NOT EXISTS (SELECT 1 FROM bed_occupancies o WHERE o.bed_id = b.id)
       ORDER BY b.id LIMIT 1`,
    );
    await asOwner(async (em) => {
      await em.query('DELETE FROM beds WHERE id = ?', [bed.id]);
      await writeStatsChanges(em, [bedStatsChangeStatement(bed.facility_id, bedCountDeltas(bed, null))]);
    });
    const afterBed = await read();
    expect(afterBed.recomputed).toEqual([]);
    await expectExact(afterBed.report);
  });

  it('a crash after the changes were applied, before the outbox rows were deleted: nothing applied twice', async () => {
    await read();
    const beds = (await db.query(
      `SELECT b.id FROM beds b JOIN facilities f ON f.id = b.facility_id
       WHERE b.status = 'vacant' AND f.type IN ('welfare_institute', 'nursing_home') ORDER BY b.id DESC LIMIT 2 OFFSET 10`,
    )) as { id: string }[];
    for (const b of beds) await send('patch', `/beds/${b.id}`, { status: 'closed' });
    await readThatCrashesBetweenApplyAndDelete();
    const pending = await one<{ n: string }>("SELECT COUNT(*) AS n FROM stats_changes WHERE source = 'beds'");
    expect(Number(pending.n)).toBe(2); // the rows are still there …
    const after = await read(); // … and applied once
    expect(after.recomputed).toEqual([]);
    await expectExact(after.report);
    const left = await one<{ n: string }>('SELECT COUNT(*) AS n FROM stats_changes');
    expect(Number(left.n)).toBe(0);
  });

  it("a crash after a resident's change was applied: the marker and the facts counted stay, applied once", async () => {
    await read();
    const bed = await one<{ id: string; facility_id: string }>(
      `SELECT b.id, b.facility_id FROM beds b JOIN facilities f ON f.id = b.facility_id
       WHERE b.status = 'vacant' AND f.type IN ('welfare_institute', 'nursing_home') ORDER BY b.id LIMIT 1`,
    );
    const elder = await one<{ id: string }>(`SELECT r.id ${eligibleAtHome} ORDER BY r.id LIMIT 1 OFFSET 10`);
    const counted = async () =>
      (await db.query('SELECT facts FROM stats_resident_facts WHERE resident_id = ?', [elder.id])) as unknown[];
    const before = await counted();
    expect(before).toHaveLength(1); // counted at home when its township was counted
    const stay = await send('post', `/facilities/${bed.facility_id}/admissions`, {
      residentId: elder.id,
      bedId: bed.id,
      overrideReason: 'test: level not checked here',
    });
    await readThatCrashesBetweenApplyAndDelete();
    const marker = await one<{ n: string }>('SELECT COUNT(*) AS n FROM stats_changes WHERE resident_id = ?', [
      elder.id,
    ]);
    expect(Number(marker.n)).toBe(1); // the marker is still there, the facts counted are those from before …
    expect(await counted()).toEqual(before);
    const after = await read(); // … and the admission is applied once, nothing counted again
    expect(after.recomputed).toEqual([]);
    await expectExact(after.report);
    expect(await counted()).not.toEqual(before);
    const left = await one<{ n: string }>('SELECT COUNT(*) AS n FROM stats_changes');
    expect(Number(left.n)).toBe(0);
    // home again (the bed free for the tests after): the facts counted are those from before the admission again
    await send('post', `/stays/${stay.id}/discharge`, { reason: 'returned_home' });
    const home = await read();
    expect(home.recomputed).toEqual([]);
    await expectExact(home.report);
  });

  it('the clock alone: an assessment running out makes its township due, without any write', async () => {
    const current = countyMonth(new Date());
    await read(current);
    const regionCode = '620422102';
    const resident = await send('post', '/residents', {
      name: '到期测试',
      idNumber: buildIdNumber('620422', '1950-06-01', 991, 'male'),
      regionCode,
      livingArrangement: 'home',
      categories: ['destitute'],
      lat: 36.2,
      lng: 105.39,
    });
    const expiresAt = new Date(Date.now() + 2500);
    await asOwner(async (em) => {
      const facts = residentFactsAround('assessments', resident.id);
      await writeStatsChanges(em, facts.before);
      await em.query(
        `INSERT INTO assessments (id, resident_id, standard, assessed_at, reason, assessors, total_score, preliminary_level, level, adjustment_reasons, valid_until)
         VALUES (?, ?, 'GB/T 42195-2022', ?, 'initial', '["甲","乙"]', 80, 1, 1, '[]', ?)`,
        [randomUUID(), resident.id, new Date(Date.now() - 300 * 86_400_000), expiresAt],
      );
      await writeStatsChanges(em, [facts.after]);
    });
    // the elder's facts applied (no township counted again): the assessment's end becomes the township's changes_at
    const before = await read(current);
    expect(before.recomputed).toEqual([]);
    await expectExact(before.report, current);
    const kept = await one<{ changes_at: Date }>(
      'SELECT changes_at FROM stats_coverage_snapshots WHERE month = ? AND region_code = ?',
      [current, regionCode],
    );
    expect(new Date(kept.changes_at).getTime()).toBeLessThanOrEqual(expiresAt.getTime());

    await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 100));
    const after = await read(current);
    expect(after.recomputed).toEqual([[regionCode]]);
    await expectExact(after.report, current);
    const assessment = (r: CoverageReport) =>
      r.byRegion.find((x) => x.regionCode === regionCode)?.indicators.find((i) => i.key === 'assessment_coverage');
    expect(assessment(after.report)?.numerator).toBe((assessment(before.report)?.numerator ?? 0) - 1);
  });

  it('two processes reading while managers admit and discharge: the figures end exact, one kept row per township', async () => {
    const other = new CoverageService(new CoverageRepository(db), new KeptFiguresRepository(db), db);
    const beds = (await db.query(
      `SELECT b.id, b.facility_id FROM beds b JOIN facilities f ON f.id = b.facility_id
       WHERE b.status = 'vacant' AND f.type IN ('welfare_institute', 'nursing_home') ORDER BY b.id LIMIT 6`,
    )) as { id: string; facility_id: string }[];
    const elders = (await db.query(`SELECT r.id ${eligibleAtHome} ORDER BY r.id DESC LIMIT 6 OFFSET 2`)) as {
      id: string;
    }[];
    expect(beds).toHaveLength(6);
    const closable = (await db.query(
      `SELECT b.id FROM beds b JOIN facilities f ON f.id = b.facility_id
       WHERE b.status = 'vacant' AND f.type IN ('welfare_institute', 'nursing_home') ORDER BY b.id DESC LIMIT 4`,
    )) as { id: string }[];
    let writing = true;
    const writes = (async () => {
      for (let round = 0; round < 2; round++) {
        const stays = await Promise.all(
          beds.map((b, i) =>
            send('post', `/facilities/${b.facility_id}/admissions`, {
              residentId: elders[i].id,
              bedId: b.id,
              overrideReason: 'test: level not checked here',
            }),
          ),
        );
        if (round === 0)
          await Promise.all(stays.map((s) => send('post', `/stays/${s.id}/discharge`, { reason: 'other' })));
        // counted changes too (applied, not recomputed): applied twice, the bed counts would end wrong
        await Promise.all(closable.map((b) => send('patch', `/beds/${b.id}`, { status: 'closed' })));
        if (round === 0) await Promise.all(closable.map((b) => send('patch', `/beds/${b.id}`, { status: 'vacant' })));
      }
      writing = false;
    })();
    const reads = [service, other].map(async (via) => {
      let n = 0;
      while (writing) {
        const r = await via.coverage({ month });
        expect(r.byRegion).toHaveLength(28);
        n++;
      }
      return n;
    });
    await writes;
    expect((await Promise.all(reads)).every((n) => n > 0)).toBe(true);
    await expectExact((await read(month, other)).report);
    await expectExact((await read(month, service)).report);
    const kept = await one<{ n: string }>('SELECT COUNT(*) AS n FROM stats_coverage_snapshots WHERE month = ?', [
      month,
    ]);
    expect(Number(kept.n)).toBe(28);

    // a month nobody computed yet, asked by both at once: both answers exact, kept once
    const older = previousMonth(month);
    const [a, b] = await Promise.all([service.coverage({ month: older }), other.coverage({ month: older })]);
    await expectExact(a, older);
    await expectExact(b, older);
    const olderKept = await one<{ n: string }>('SELECT COUNT(*) AS n FROM stats_coverage_snapshots WHERE month = ?', [
      older,
    ]);
    expect(Number(olderKept.n)).toBe(28);
  });

  it('a closed month snapshotted by the monthly job is history: later changes leave it until it is taken again', async () => {
    const closed = previousMonth(previousMonth(month));
    await service.snapshot(closed);
    const before = await read(closed);
    expect(before.recomputed).toEqual([]);
    await expectExact(before.report, closed);
    // today's beds change: recomputing the past month would count them, the kept history does not
    const bed = await one<{ id: string }>(
      `SELECT b.id FROM beds b JOIN facilities f ON f.id = b.facility_id
       WHERE b.status = 'vacant' AND f.type IN ('welfare_institute', 'nursing_home') ORDER BY b.id LIMIT 1`,
    );
    await send('patch', `/beds/${bed.id}`, { status: 'closed' });
    const after = await read(closed);
    expect(after.recomputed).toEqual([]);
    expect(after.report).toEqual(before.report);
    // rows the monthly job kept before the figures were maintained (no month row) are history too
    await db.query('DELETE FROM stats_coverage_months WHERE month = ?', [closed]);
    const legacy = await read(closed);
    expect(legacy.recomputed).toEqual([]);
    expect(legacy.report.indicators).toEqual(before.report.indicators);
    // taken again (POST /stats/coverage/snapshots, or the job re-run): the month is recomputed from the tables
    await service.snapshot(closed);
    await expectExact((await read(closed)).report, closed);
  });

  it('while another process refreshes the month, a request answers at once with the kept figures, marked stale', async () => {
    const before = await read();
    const bed = await one<{ id: string }>(
      `SELECT b.id FROM beds b JOIN facilities f ON f.id = b.facility_id
       WHERE b.status = 'vacant' AND f.type IN ('welfare_institute', 'nursing_home') ORDER BY b.id DESC LIMIT 1`,
    );
    await send('patch', `/beds/${bed.id}`, { status: 'closed' });
    const other = db.createQueryRunner(); // holds the month's lock as a long refresh would
    await other.connect();
    await other.startTransaction();
    try {
      await other.query('SELECT month FROM stats_coverage_months WHERE month = ? FOR UPDATE', [month]);
      const started = Date.now();
      const during = await read();
      expect(Date.now() - started).toBeLessThan(5000); // not the 50 s lock wait
      expect(during.report.stale).toBe(true);
      expect(during.report.indicators).toEqual(before.report.indicators);
    } finally {
      await other.rollbackTransaction();
      await other.release();
    }
    await expectExact((await read()).report);
  });

  it('more due townships than a request recomputes: the kept figures at once, marked stale, then fresh ones', async () => {
    const before = await read();
    service.syncRefreshMax = 0;
    try {
      const bed = await one<{ id: string }>(
        `SELECT b.id FROM beds b JOIN facilities f ON f.id = b.facility_id
         WHERE b.status = 'vacant' AND f.type IN ('welfare_institute', 'nursing_home') ORDER BY b.id LIMIT 1`,
      );
      await send('patch', `/beds/${bed.id}`, { status: 'closed' });
      // a row that makes a township due, count again (the bed alone is a counted change, applied at once)
      const elder = await one<{ id: string }>(`SELECT r.id ${eligibleAtHome} ORDER BY r.id LIMIT 1 OFFSET 20`);
      await asOwner((em) => writeStatsChanges(em, [residentStatsChangeStatement('residents', elder.id)]));
      const stale = await read();
      expect(stale.report.stale).toBe(true);
      expect(stale.report.indicators).toEqual(before.report.indicators);
      // the background refresh lands: the kept figures served show the closed bed
      const share = (r: CoverageReport) => r.indicators.find((i) => i.key === 'nursing_bed_share')?.denominator ?? 0;
      let served = stale.report;
      for (let i = 0; i < 600 && share(served) === share(before.report); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        served = await service.coverage({ month });
      }
      expect(share(served)).toBe(share(before.report) - 1);
    } finally {
      service.syncRefreshMax = 40;
    }
    await expectExact((await read()).report);
  });
});
