// The caregiver app as an installable PWA, without a plugin dependency: after the bundle is written, emits
// - sw.js: src/pwa/sw.js with the list of every file of the build (precached at install) and a version hash;
// - manifest.webmanifest and two PNG icons (drawn here: a white cross on the console's blue).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import type { Plugin } from 'vite';

const BLUE: [number, number, number] = [0x1d, 0x4f, 0x8f];

/** A square PNG: blue with a white cross (the console's mark at icon size). */
function iconPng(size: number): Buffer {
  const row = size * 3 + 1;
  const raw = Buffer.alloc(row * size);
  const arm = Math.round(size * 0.12);
  const reach = Math.round(size * 0.3);
  const mid = size / 2;
  for (let y = 0; y < size; y++) {
    raw[y * row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const dx = Math.abs(x + 0.5 - mid);
      const dy = Math.abs(y + 0.5 - mid);
      const white = (dx <= arm && dy <= reach) || (dy <= arm && dx <= reach);
      const [r, g, b] = white ? [255, 255, 255] : BLUE;
      raw.set([r, g, b], y * row + 1 + x * 3);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

const MANIFEST = {
  name: '会宁县智慧养老服务平台',
  short_name: '上门服务',
  description: '护理员上门服务：今日服务安排、签到签退，无信号时先记录、有网后自动上传',
  lang: 'zh-CN',
  start_url: '/#/visits',
  scope: '/',
  display: 'standalone',
  background_color: '#ffffff',
  theme_color: '#1d4f8f',
  icons: [
    { src: '/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any maskable' },
    { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
  ],
};

export function pwa(swTemplate: string): Plugin {
  return {
    name: 'care-pwa',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      this.emitFile({ type: 'asset', fileName: 'manifest.webmanifest', source: JSON.stringify(MANIFEST, null, 2) });
      this.emitFile({ type: 'asset', fileName: 'icon-192.png', source: iconPng(192) });
      this.emitFile({ type: 'asset', fileName: 'icon-512.png', source: iconPng(512) });
      const files = [...Object.keys(bundle), 'manifest.webmanifest', 'icon-192.png', 'icon-512.png']
        .filter((f) => f !== 'sw.js')
        .sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      const source = readFileSync(swTemplate, 'utf8')
        .replace('const PRECACHE = __PRECACHE__;', `const PRECACHE = ${JSON.stringify(files)};`)
        .replace("const VERSION = '__VERSION__';", `const VERSION = '${version}';`);
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
