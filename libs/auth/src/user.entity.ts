import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BaseEntity, Role, tinyBoolean } from '@care/core';

@Entity('users')
export class User extends BaseEntity {
  @Column({ type: 'varchar', length: 64 })
  username: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255, select: false })
  passwordHash: string;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  /** For role caregiver: the caregiver whose orders this user sees and acts on. */
  @Column({ name: 'caregiver_id', type: 'char', length: 36, nullable: true })
  caregiverId: string | null;

  @Column({ type: 'tinyint', default: 1, transformer: tinyBoolean })
  active: boolean;

  /** Carried in access tokens; raised by a password change, deactivation or role change to end older tokens. */
  @Column({ name: 'token_version', type: 'int', unsigned: true, default: 0 })
  tokenVersion: number;
}

/** The facilities a manager looks after. */
@Entity('user_facilities')
export class UserFacility {
  @PrimaryColumn({ name: 'user_id', type: 'char', length: 36 })
  userId: string;

  @PrimaryColumn({ name: 'facility_id', type: 'char', length: 36 })
  facilityId: string;
}
