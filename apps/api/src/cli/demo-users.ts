import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthService } from '@care/auth';
import type { Role } from '@care/core';

export interface DemoUser {
  username: string;
  role: Role;
  note: string;
}

/**
 * One login per role for a newcomer to click through the demo county: the bureau, the manager of the county
 * welfare institute, a dispatcher, and a caregiver of the seat town's service point. Created only when absent, and
 * only by seedDemoCounty right after it filled an empty database (DEMO_PASSWORD may be shorter than the password
 * rule asks: it is published in the README, which is why no other database may hold these users).
 */
export async function createDemoUsers(app: INestApplicationContext, password: string): Promise<DemoUser[]> {
  const db = app.get(DataSource);
  const auth = app.get(AuthService);
  const [institute]: { id: string; name: string }[] = await db.query(
    `SELECT id, name FROM facilities WHERE type = 'welfare_institute' ORDER BY created_at LIMIT 1`,
  );
  const [caregiver]: { id: string; name: string }[] = await db.query(
    `SELECT c.id, c.name FROM caregivers c JOIN service_points p ON p.id = c.service_point_id
     WHERE c.active = 1 ORDER BY p.region_code = '620422100' DESC, c.name LIMIT 1`,
  );
  const wanted: (DemoUser & { facilityIds?: string[]; caregiverId?: string })[] = [
    { username: 'bureau', role: 'bureau', note: '县民政局 county civil-affairs bureau' },
    { username: 'dispatcher', role: 'dispatcher', note: '派单员 dispatcher' },
  ];
  if (institute) {
    wanted.push({
      username: 'manager',
      role: 'manager',
      note: `${institute.name} manager`,
      facilityIds: [institute.id],
    });
  }
  if (caregiver) {
    wanted.push({
      username: 'caregiver',
      role: 'caregiver',
      note: `护理员 ${caregiver.name}`,
      caregiverId: caregiver.id,
    });
  }
  const existing = new Set((await auth.listUsers()).items.map((u) => u.username));
  for (const user of wanted.filter((u) => !existing.has(u.username))) {
    await auth.createUser(
      {
        username: user.username,
        password,
        role: user.role,
        facilityIds: user.facilityIds,
        caregiverId: user.caregiverId,
      },
      { demoSeed: true },
    );
  }
  return wanted.map(({ username, role, note }) => ({ username, role, note }));
}
