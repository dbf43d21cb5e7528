import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditWriter, type AuditEventRecord } from '@care/audit';
import { ConfigError, FieldCipher, dataSourceOptions, loadConfig, runMain, type AppConfig } from '@care/core';
import { describeTally, rotateDataKey, rotationComplete, type RotationTally } from '@care/residents';

/** The audit trail's actor for the rotation: no account, a system role (audit_events.actor_id is nullable). */
export const ROTATION_ACTION = 'residents.rotate-data-key';
export const SYSTEM_ROLE = 'system';

/**
 * `npm run rotate-data-key [-- --batch N]`: with DATA_ENCRYPTION_KEY = the new key and DATA_ENCRYPTION_KEY_PREVIOUS
 * = the old one, moves every resident's ID number to the new key (libs/residents/src/key-rotation). Each batch that
 * changed rows leaves one audit event (action `residents.rotate-data-key`, role `system`, the residents' ids) in its
 * own transaction. Prints counts only. Exit code 0 when every resident is under the new key (then remove
 * DATA_ENCRYPTION_KEY_PREVIOUS and restart), 1 otherwise.
 */
export async function runDataKeyRotation(
  config: AppConfig,
  options: { batchSize?: number; log?: (line: string) => void } = {},
): Promise<RotationTally> {
  if (!config.previousDataEncryptionKey) {
    throw new ConfigError([
      'DATA_ENCRYPTION_KEY_PREVIOUS must be set to the old key (and DATA_ENCRYPTION_KEY to the new one) to rotate',
    ]);
  }
  const log = options.log ?? console.log;
  const cipher = new FieldCipher(config.dataEncryptionKey, config.previousDataEncryptionKey);
  const db = new DataSource(dataSourceOptions(config));
  await db.initialize();
  try {
    const audit = new AuditWriter(db);
    const run = randomUUID(); // the request id of every event of this run
    const tally = await rotateDataKey(db, cipher, {
      batchSize: options.batchSize,
      onBatch: (em, reencrypted) => audit.insert(em, [rotationEvent(run, reencrypted)]),
      progress: (t) => {
        if (t.batches % 20 === 0) log(`rotate-data-key: ${t.examined} examined, ${t.reencrypted} re-encrypted so far`);
      },
    });
    log(`rotate-data-key: ${describeTally(tally)}`);
    return tally;
  } finally {
    await db.destroy();
  }
}

function rotationEvent(run: string, residentIds: string[]): AuditEventRecord {
  return {
    id: randomUUID(),
    at: new Date(),
    actorId: null,
    actorUsername: null,
    role: SYSTEM_ROLE,
    action: ROTATION_ACTION,
    entity: 'resident',
    entityIds: residentIds,
    residentIds,
    requestId: run,
    ip: null,
    outcome: 'ok',
  };
}

/** `--batch N`, else undefined (the default). */
function batchArgument(argv: string[]): number | undefined {
  const at = argv.indexOf('--batch');
  if (at < 0) return undefined;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 1 || value > 10_000)
    throw new ConfigError(['--batch must be an integer from 1 to 10000']);
  return value;
}

if (require.main === module) {
  runMain('rotate-data-key', async () => {
    const tally = await runDataKeyRotation(loadConfig(), { batchSize: batchArgument(process.argv) });
    if (!rotationComplete(tally)) process.exitCode = 1;
  });
}
