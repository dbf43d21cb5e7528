// Issue 16's reproduction, by hand, on the cluster of scripts/cluster.sh (nodes 1 and 2 on 3311/3312):
//   node scripts/galera-abort-probe.js asnow|fixed [milliseconds]
// Node 2 runs admission-shaped transactions on one bed the way the hot path did (a FOR UPDATE read in one round trip,
// the writes and COMMIT in a second, multi-statement one) while node 1 keeps writing that bed, so node 2's applier
// keeps aborting them. It counts the outcomes and the stays committed beyond those acknowledged with their bed's
// write: with autocommit on ('asnow'), an abort that the running statement did not report lets the rest of the round
// trip run outside the transaction and commit; 'fixed' runs as SqlTransactionRunner now does (autocommit off, a
// savepoint released just before COMMIT). Uses (and drops) the database galera16_probe.
const { join } = require('node:path');
const mysql = require(join(__dirname, '..', 'node_modules', 'mysql2', 'promise'));
(async () => {
  const opts = (port) => ({
    host: '127.0.0.1',
    port,
    user: 'root',
    multipleStatements: true,
    database: 'galera16_probe',
  });
  const fixed = process.argv[2] === 'fixed';
  const admin = await mysql.createConnection({ ...opts(3311), database: undefined });
  await admin.query('CREATE DATABASE IF NOT EXISTS galera16_probe');
  await admin.query('USE galera16_probe');
  await admin.query('DROP TABLE IF EXISTS beds, stays, notes');
  await admin.query('CREATE TABLE beds (id INT PRIMARY KEY, status VARCHAR(10) NOT NULL, stay INT NULL) ENGINE=InnoDB');
  await admin.query('CREATE TABLE stays (id INT PRIMARY KEY, bed_id INT NOT NULL) ENGINE=InnoDB');
  await admin.query('CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, body TEXT) ENGINE=InnoDB');
  await admin.query("INSERT INTO beds VALUES (1, 'vacant', NULL)");
  const n1 = await mysql.createConnection(opts(3311));
  const n2 = await mysql.createConnection(opts(3312));
  await n2.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  if (fixed) await n2.query('SET SESSION autocommit = 0');
  let stop = false;
  const hammer = (async () => {
    let k = 0;
    while (!stop) {
      await n1
        .query("UPDATE beds SET status = IF(status = 'closed', 'closed2', 'closed'), stay = NULL WHERE id = 1")
        .catch(() => {});
      k++;
    }
    return k;
  })();
  const outcomes = {};
  const end = Date.now() + Number(process.argv[3] ?? 40000);
  for (let id = 1; Date.now() < end; id++) {
    let outcome;
    try {
      const [[, rows]] = await n2
        .query(`START TRANSACTION; ${fixed ? 'SAVEPOINT hot; ' : ''}SELECT status FROM beds WHERE id = 1 FOR UPDATE`)
        .then((r) => [fixed ? [r[0][0], r[0][2]] : r[0]]);
      const status = rows[0].status;
      const res = await n2.query(
        `INSERT INTO notes (body) SELECT REPEAT(MD5(RAND()), 50) FROM DUAL; INSERT INTO stays VALUES (?, 1); INSERT INTO notes (body) SELECT GROUP_CONCAT(id) FROM stays; UPDATE beds SET status = 'occupied', stay = ? WHERE id = 1 AND status = ?; INSERT INTO notes (body) VALUES ('after'); ${fixed ? 'RELEASE SAVEPOINT hot; ' : ''}COMMIT`,
        [id, id, status],
      );
      outcome = `ok, bed update matched ${res[0][3].affectedRows}`;
    } catch (e) {
      outcome = `error ${e.code}`;
      await n2.query('ROLLBACK').catch(() => {});
    }
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  stop = true;
  const writes = await hammer;
  await new Promise((r) => setTimeout(r, 1000));
  const [[c]] = await admin.query('SELECT COUNT(*) AS n FROM stays');
  const acknowledged = outcomes['ok, bed update matched 1'] ?? 0;
  console.log(
    JSON.stringify({
      mode: fixed ? 'fixed' : 'as now',
      transactions: Object.values(outcomes).reduce((a, b) => a + b, 0),
      nodeOneWrites: writes,
      outcomes,
      staysCommitted: Number(c.n),
      committedButNotAcknowledgedWithTheirBed: Number(c.n) - acknowledged,
    }),
  );
  await admin.query('DROP DATABASE galera16_probe');
  await n1.end();
  await n2.end();
  await admin.end();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
