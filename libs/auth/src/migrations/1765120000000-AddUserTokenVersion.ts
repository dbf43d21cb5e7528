import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * users.token_version: carried in every access token (claim `ver`). A password change, a deactivation or a role
 * change adds one, so every token issued before answers 401 (within the 5 s the api caches a verified user).
 * The role index serves GET /users?role= and the "last active admin" check.
 */
export class AddUserTokenVersion1765120000000 implements MigrationInterface {
  name = 'AddUserTokenVersion1765120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users ADD COLUMN token_version INT UNSIGNED NOT NULL DEFAULT 0');
    await q.query('CREATE INDEX idx_users_role_active ON users (role, active)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_users_role_active ON users');
    await q.query('ALTER TABLE users DROP COLUMN token_version');
  }
}
