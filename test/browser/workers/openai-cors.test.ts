// The OpenAI-compatible engine in its real worker, in the browser: a server that does not allow this page's origin
// (here the test server itself under another host name, which sends no CORS headers) is refused by the browser, and
// the message names the server and how to allow the origin. The protocol itself is tested in Node against a loopback
// server (test/node/openai-engine.test.ts).

import { expect } from '@esm-bundle/chai';
import { wrap } from 'comlink';
import type { EngineApi } from '../../../workers/engine-api.ts';
import { runtime } from '../helpers.ts';

describe('OpenAI-compatible engine in the browser', () => {
  it('a server that refuses cross-origin requests: a message naming it, the origin and what to change', async () => {
    const other = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
    const baseUrl = `${location.protocol}//${other}:${location.port}/v1`;
    // The same server answers under this page's own origin: it is up, so only CORS can refuse the request.
    expect((await fetch('/v1/models')).status).to.equal(404);
    const worker = new Worker(new URL('../../../workers/openai.worker.ts', import.meta.url), { type: 'module' });
    const engine = wrap<EngineApi>(worker);
    const message = await engine.load({ kind: 'openai', baseUrl, model: 'm' }, runtime('auto')).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(message).to.include(`Could not reach ${baseUrl} from this page`);
    expect(message).to.include(`does not allow cross-origin requests from ${location.origin} (CORS)`);
    expect(message).to.include(`--allowed-origins '["${location.origin}"]'`);
    worker.terminate();
  });
});
