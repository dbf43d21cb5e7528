import { Column, CreateDateColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Plain base for entities: a UUID id and timestamps. Entities hold data, services hold behaviour. */
export abstract class BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  /**
   * Written by the database only (DEFAULT and ON UPDATE CURRENT_TIMESTAMP(3)), to the millisecond, whenever a
   * column really changes. Not an @UpdateDateColumn: TypeORM's UPDATE would set it to CURRENT_TIMESTAMP, whole
   * seconds, and statistics find changed rows by it (a second update within the same second would be invisible).
   */
  @Column({ name: 'updated_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)', update: false })
  updatedAt: Date;
}
