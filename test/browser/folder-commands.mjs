// Test-runner commands that hand real folders to the page through Chromium's own file APIs (DevTools protocol), as a
// user would: a folder set on an <input webkitdirectory> (DOM.setFileInputFiles) and a folder dragged onto an element
// (Input.dispatchDragEvent). Folders are real directories: the forged models, ../shared/data, or temporary folders
// a test writes (base64 contents), removed when the server stops. Also a counting file server for the model cache.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Which folders tests may name: the repository and ../shared/data (read), temporary folders (written here). */
function allowed(root, dir) {
  const full = resolve(root, dir);
  const roots = [root, resolve(root, '..', 'shared', 'data'), tmpdir()];
  if (!roots.some((r) => full === r || full.startsWith(r + '/'))) throw new Error(`${dir} is outside the test roots`);
  return full;
}

async function elementCenter(page, selector) {
  const el = await page.$(`pierce/${selector}`);
  if (!el) throw new Error(`no element matches ${selector}`);
  await el.scrollIntoView();
  const box = await el.boundingBox();
  return { el, x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

export function folderCommands(root) {
  const made = [];
  return {
    name: 'model-diff-folders',
    async executeCommand({ command, payload, session }) {
      if (command === 'md-make-folder') {
        // payload: { name, files: { 'onnx/model.onnx': base64 } } → absolute path of <tmp>/<name>
        const parent = mkdtempSync(join(tmpdir(), 'model-diff-folder-'));
        made.push(parent);
        const dir = join(parent, payload.name);
        for (const [path, base64] of Object.entries(payload.files)) {
          const target = join(dir, path);
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, Buffer.from(base64, 'base64'));
        }
        return dir;
      }
      if (command === 'md-upload-folder' || command === 'md-drop-folder') {
        const page = session.browser.getPage(session.id);
        const dir = allowed(root, payload.dir);
        if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder`);
        if (command === 'md-upload-folder') {
          const input = await page.$(`pierce/${payload.selector}`);
          if (!input) throw new Error(`no element matches ${payload.selector}`);
          await input.uploadFile(dir);
          return true;
        }
        const { x, y } = await elementCenter(page, payload.selector);
        const cdp = await page.createCDPSession();
        const data = { items: [], files: [dir], dragOperationsMask: 1 };
        for (const type of ['dragEnter', 'dragOver', 'drop'])
          await cdp.send('Input.dispatchDragEvent', { type, x, y, data });
        await cdp.detach();
        return true;
      }
      return undefined;
    },
    serverStop() {
      for (const dir of made) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * /__counted__/<path under public/> with CORS (for pages on another origin) and a request count per path at
 * /__counted__/count: shows whether a second load fetched a file again.
 */
export function countingFiles(root) {
  const counts = {};
  return function countedMiddleware(ctx, next) {
    if (!ctx.path.startsWith('/__counted__/')) return next();
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Access-Control-Expose-Headers', 'Content-Length, Content-Range');
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    // No HTTP caching: every load that is not served from the model cache reaches this server and is counted. The
    // test runner sets a year's max-age on every path with an extension after this runs: keep it from doing so here.
    ctx.set('Cache-Control', 'no-store');
    const set = ctx.response.set.bind(ctx.response);
    ctx.response.set = (field, value) =>
      String(field).toLowerCase() === 'cache-control' ? undefined : set(field, value);
    if (ctx.method === 'OPTIONS') {
      ctx.set('Access-Control-Allow-Headers', 'Range');
      ctx.status = 204;
      return undefined;
    }
    const rel = decodeURIComponent(ctx.path.slice('/__counted__/'.length));
    if (rel === 'count') {
      ctx.body = JSON.stringify(counts);
      ctx.type = 'application/json';
      return undefined;
    }
    const base = resolve(root, 'public');
    const file = resolve(base, rel);
    if (!file.startsWith(base + '/') || !existsSync(file) || !statSync(file).isFile()) {
      ctx.status = 404;
      return undefined;
    }
    const ranged = ctx.get('Range') !== '';
    counts[rel] = (counts[rel] ?? 0) + (ranged ? 0 : 1);
    ctx.body = readFileSync(file);
    ctx.type = 'application/octet-stream';
    return undefined;
  };
}
