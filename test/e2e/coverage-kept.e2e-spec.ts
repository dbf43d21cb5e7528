import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuthService } from '@care/auth';
import { TransactionRunner } from '@care/core';
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

jest.setTimeout(300_000);

/**
 * The coverage figures are kept per township and brought up to date only where something changed. On the demo
 * county (28 townships), every kind of change is made through the api (or SQL for the doorstep tables) and after
 * each one the served figures must equal a full recomputation from the tables, while only the townships the
 * change touched were recomputed.
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
  /** The townships each recomputation was asked for; undefined = all of them. */
  let recomputed: (string[] | undefined)[] = [];

  beforeAll(async () => {
    const made = await createTestConfig('keptcov');
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
    jest.spyOn(repo, 'countsByTownship').mockImplementation((period, townships, circles, only) => {
      recomputed.push(only ? [...only].sort() : undefined);
      return original(period, townships, circles, only);
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

  /** Reads the month's coverage and returns it with the townships recomputed for it. */
  async function read(
    m = month,
    via = service,
  ): Promise<{ report: CoverageReport; recomputed: (string[] | undefined)[] }> {
    recomputed = [];
    const report = await via.coverage({ month: m });
    return { report, recomputed };
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

    // an eligible elder at home is admitted to a vacant bed of an institution, then discharged
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
    }, [bed.region_code, elder.region_code]);
    await step(
      () => send('post', `/stays/${stayId}/discharge`, { reason: 'returned_home' }),
      [bed.region_code, elder.region_code],
    );

    // a bed closed
    const vacant = await one<{ id: string; region_code: string }>(
      `SELECT b.id, f.region_code FROM beds b JOIN facilities f ON f.id = b.facility_id
       WHERE b.status = 'vacant' AND f.type IN ('welfare_institute', 'nursing_home') AND b.id <> ? ORDER BY b.id LIMIT 1`,
      [bed.id],
    );
    await step(() => send('patch', `/beds/${vacant.id}`, { status: 'closed' }), [vacant.region_code]);

    // a visit completed (doorstep tables by SQL, as the dispatcher's check-out writes them)
    const open = await one<{ id: string; region_code: string; window_start: Date }>(
      `SELECT id, region_code, window_start FROM care_orders WHERE visit_plan_month = ? AND status <> 'completed' ORDER BY id LIMIT 1`,
      [month],
    );
    await step(
      () =>
        db.query(`UPDATE care_orders SET status = 'completed', completed_at = ? WHERE id = ?`, [
          new Date(new Date(open.window_start).getTime() + 3600_000),
          open.id,
        ]),
      [open.region_code],
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
    await step(() => send('patch', `/residents/${another.id}`, { categories: ['low_income'] }), [another.region_code]);

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

  it('nothing due and the last refresh long past: the change window moves forward, no township recomputed', async () => {
    await read();
    const checkedTo = async () =>
      new Date(
        (await one<{ checked_to: Date }>('SELECT checked_to FROM stats_coverage_months WHERE month = ?', [month]))
          .checked_to,
      ).getTime();
    const before = await checkedTo();
    const quiet = await read(); // the last refresh is recent: the window stays
    expect(quiet.recomputed).toEqual([]);
    expect(await checkedTo()).toBe(before);
    service.checkpointAfterMs = 0; // as if it were long past
    try {
      const moved = await read();
      let now = before;
      for (let i = 0; i < 100 && now === before; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        now = await checkedTo();
      }
      expect(now).toBeGreaterThan(before);
      expect(moved.recomputed).toEqual([]);
      expect(recomputed).toEqual([]); // the background refresh recomputed nothing
    } finally {
      service.checkpointAfterMs = 120_000;
    }
    await expectExact((await read()).report);
  });

  it('a change whose transaction commits after a read has checked for changes is still found (commit lag)', async () => {
    const lag = service.commitLagMs;
    service.commitLagMs = 0;
    await read();
    const bed = await one<{ id: string }>(
      `SELECT b.id FROM beds b JOIN facilities f ON f.id = b.facility_id
       WHERE b.status = 'vacant' AND f.type IN ('welfare_institute', 'nursing_home') ORDER BY b.id DESC LIMIT 1`,
    );
    const elsewhere = await one<{ id: string }>(
      `SELECT r.id ${eligibleAtHome} AND r.region_code <> (SELECT f.region_code FROM beds b JOIN facilities f ON f.id = b.facility_id WHERE b.id = ?)
       ORDER BY r.id LIMIT 1`,
      [bed.id],
    );
    const slow = db.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    try {
      // SQL writes updated_at to the millisecond (ON UPDATE CURRENT_TIMESTAMP(3))
      await slow.query(`UPDATE beds SET status = 'closed' WHERE id = ?`, [bed.id]); // updated_at written now …
      await new Promise((resolve) => setTimeout(resolve, 50));
      await db.query(`UPDATE residents SET phone = '13900000009' WHERE id = ?`, [elsewhere.id]);
      const between = await read(); // … a read finds another change, recomputes, and keeps a later checked_to …
      expect(between.recomputed).toHaveLength(1);
      await slow.commitTransaction(); // … before the bed's transaction commits
    } finally {
      await slow.release();
    }
    const withoutLag = await read();
    expect(withoutLag.recomputed).toEqual([]); // without the lag the closed bed would be lost …
    service.commitLagMs = lag;
    const withLag = await read(); // … with it, the township is found and recomputed
    expect(withLag.recomputed).toHaveLength(1);
    await expectExact(withLag.report);
  });

  it('a row already in the change window is updated again by a transaction that commits after a refresh started: found', async () => {
    await read();
    const bed = await one<{ id: string; region_code: string }>(
      `SELECT b.id, f.region_code FROM beds b JOIN facilities f ON f.id = b.facility_id
       WHERE b.status = 'vacant' AND f.type IN ('welfare_institute', 'nursing_home') ORDER BY b.id DESC LIMIT 1`,
    );
    const elsewhere = await one<{ id: string; region_code: string }>(
      `SELECT r.id, r.region_code ${eligibleAtHome} AND r.region_code <> ? ORDER BY r.id LIMIT 1`,
      [bed.region_code],
    );
    // the bed closed: a refresh recomputes its township and records the bed among the rows of its change window
    await db.query(`UPDATE beds SET status = 'closed' WHERE id = ?`, [bed.id]);
    const closed = await read();
    expect(closed.recomputed).toEqual([[bed.region_code]]);
    const slow = db.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    try {
      await slow.query(`UPDATE beds SET status = 'vacant' WHERE id = ?`, [bed.id]); // updated_at written now …
      await new Promise((resolve) => setTimeout(resolve, 50));
      await db.query(`UPDATE residents SET phone = '13900000010' WHERE id = ?`, [elsewhere.id]);
      const between = await read(); // … a refresh starts after it, still seeing the bed as closed …
      expect(between.recomputed).toEqual([[elsewhere.region_code]]);
      await slow.commitTransaction(); // … then the bed reopens: same rows in the window, one updated_at moved
    } finally {
      await slow.release();
    }
    const reopened = await read();
    expect(reopened.recomputed).toEqual([[bed.region_code]]);
    await expectExact(reopened.report);
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
    await db.query(
      `INSERT INTO assessments (id, resident_id, standard, assessed_at, reason, assessors, total_score, preliminary_level, level, adjustment_reasons, valid_until)
       VALUES (?, ?, 'GB/T 42195-2022', ?, 'initial', '["甲","乙"]', 80, 1, 1, '[]', ?)`,
      [randomUUID(), resident.id, new Date(Date.now() - 300 * 86_400_000), expiresAt],
    );
    const before = await read(current);
    expect(before.recomputed).toEqual([[regionCode]]);
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
    const other = new CoverageService(
      new CoverageRepository(db),
      new KeptFiguresRepository(db, app.get(TransactionRunner)),
      db,
    );
    const beds = (await db.query(
      `SELECT b.id, b.facility_id FROM beds b JOIN facilities f ON f.id = b.facility_id
       WHERE b.status = 'vacant' AND f.type IN ('welfare_institute', 'nursing_home') ORDER BY b.id LIMIT 6`,
    )) as { id: string; facility_id: string }[];
    const elders = (await db.query(`SELECT r.id ${eligibleAtHome} ORDER BY r.id DESC LIMIT 6 OFFSET 2`)) as {
      id: string;
    }[];
    expect(beds).toHaveLength(6);
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
