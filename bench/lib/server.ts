// A static file server for the benchmarks: mounts folders under URL prefixes, sends the cross-origin isolation
// headers (so onnxruntime-web may use WASM threads), answers byte ranges (transformers.js probes files with
// `Range: bytes=0-0`), and gzips text like an ordinary static host, so transferred bytes are what a user would get.
// Model folders are never compressed: transformers.js sizes its read buffer from Content-Length, which under
// Content-Encoding is the compressed length, and its JSON files then arrive padded with zeros.

import { createReadStream, readFileSync, statSync, type Stats } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg']);

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * mounts: URL prefix ('/ort/') → folder. The longest matching prefix wins; '/' is the fallback. Text under the
 * prefixes in `compress` is sent gzipped to browsers that accept it.
 */
export function serveStatic(mounts: Record<string, string>, compress: readonly string[] = []): Promise<StaticServer> {
  const table = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix, resolve(dir)] as const)
    .sort((a, b) => b[0].length - a[0].length);
  const gzipped = new Map<string, { mtime: number; body: Buffer }>();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-cache');
    const mount = table.find(([prefix]) => path.startsWith(prefix));
    let file = mount ? resolve(mount[1], '.' + sep + path.slice(mount[0].length)) : '';
    let stat: Stats | undefined;
    try {
      if (mount && (file === mount[1] || file.startsWith(mount[1] + sep))) stat = statSync(file);
      if (stat?.isDirectory()) {
        file = join(file, 'index.html');
        stat = statSync(file);
      }
    } catch {
      stat = undefined;
    }
    if (!stat || !stat.isFile()) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const ext = extname(file);
    res.setHeader('Content-Type', TYPES[ext] ?? 'application/octet-stream');
    res.setHeader('Accept-Ranges', 'bytes');
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      const size = stat.size;
      const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
      const end = range[1] && range[2] ? Math.min(size - 1, Number(range[2])) : size - 1;
      res.statusCode = 206;
      res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
      res.setHeader('Content-Length', end - start + 1);
      if (req.method === 'HEAD') res.end();
      else createReadStream(file, { start, end, highWaterMark: 1 << 20 }).pipe(res);
      return;
    }
    if (
      compress.includes(mount![0]) &&
      COMPRESSIBLE.has(ext) &&
      /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
    ) {
      const cached = gzipped.get(file);
      const entry =
        cached && cached.mtime === stat.mtimeMs ? cached : { mtime: stat.mtimeMs, body: gzipSync(readFileSync(file)) };
      gzipped.set(file, entry);
      res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Content-Length', entry.body.byteLength);
      res.end(req.method === 'HEAD' ? undefined : entry.body);
      return;
    }
    res.setHeader('Content-Length', stat.size);
    if (req.method === 'HEAD') res.end();
    else createReadStream(file, { highWaterMark: 1 << 20 }).pipe(res);
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      done({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((ok) => {
            server.closeAllConnections();
            server.close(() => ok());
          }),
      });
    }),
  );
}
