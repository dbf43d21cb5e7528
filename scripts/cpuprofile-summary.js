#!/usr/bin/env node
// Summarises a V8 CPU profile (node --cpu-prof, e.g. BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"
// npm run bench admissions) by package: self time per npm package, per library of ours, and for Node's internals,
// garbage collection and idle time.
//   node scripts/cpuprofile-summary.js /tmp/prof/CPU.*.cpuprofile [--top 25]
'use strict';
const { readFileSync } = require('node:fs');

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
const file = args.find((a, i) => !a.startsWith('--') && (topAt < 0 || i !== topAt + 1));
if (!file) {
  console.error('usage: node scripts/cpuprofile-summary.js <file.cpuprofile> [--top N]');
  process.exit(2);
}

/** The package a frame belongs to: the npm package (scoped or not), a library or app of ours, or a V8/Node bucket. */
function packageOf(callFrame) {
  const { url, functionName } = callFrame;
  if (!url) {
    if (functionName === '(garbage collector)') return '(gc)';
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(program)') return '(program)';
    return '(native)';
  }
  if (url.startsWith('node:')) return '(node internals)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const ours = /\/(apps|libs|test)\/([^/]+)\//.exec(url);
  if (ours) return `(ours) ${ours[1]}/${ours[2]}`;
  return '(other)';
}

const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]);
  const ms = (profile.timeDeltas[i] ?? 0) / 1000;
  const name = packageOf(node.callFrame);
  selfMs.set(name, (selfMs.get(name) ?? 0) + ms);
}

const idle = selfMs.get('(idle)') ?? 0;
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
const busy = total - idle;
console.log(
  `${file}: ${(total / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s busy (idle left out of the shares)`,
);
const rows = [...selfMs.entries()].filter(([name]) => name !== '(idle)').sort((a, b) => b[1] - a[1]);
for (const [name, ms] of rows.slice(0, top)) {
  console.log(`${((100 * ms) / busy).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(7)} ms  ${name}`);
}
if (rows.length > top) {
  const rest = rows.slice(top).reduce((a, [, ms]) => a + ms, 0);
  console.log(
    `${((100 * rest) / busy).toFixed(1).padStart(5)} %  ${rest.toFixed(0).padStart(7)} ms  (${rows.length - top} more)`,
  );
}
