// The OpenAI-compatible engine against a real server on loopback (test/node/openai-server.ts: HTTP in front of the
// forged models run by the ONNX engine): generation and scoring give the ONNX engine's numbers; a whole profile and
// diff run through it; and every failure — server down, unknown model, API key, HTTP 500, no log-probabilities,
// not JSON, no way to score, time limit, cancel — ends in a message that names the server and what to do.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { diff } from '../../src/core/diff/build-report.ts';
import { expectationFor, validate } from '../../src/core/forge/expectations.ts';
import { forgeFamily } from '../../src/core/forge/index.ts';
import { textSteps } from '../../src/core/diff/cross-likelihood.ts';
import { validateReport } from '../../src/core/diff/report-validate.ts';
import type { PromptInput } from '../../src/core/engine/types.ts';
import { parseModelSpec } from '../../src/core/model-spec.ts';
import { profilePair } from '../../src/services/profiler.ts';
import { DEFAULT_SETTINGS, loadFolder, readPromptSet } from '../../src/node/profile-forged.ts';
import { OpenAiEngine } from '../../workers/openai-engine.ts';
import { FORGED_DIR, startLoopback, type Loopback, type LoopbackOptions } from './openai-server.ts';

const root = join(import.meta.dirname, '..', '..');
const settings = { maxNewTokens: 24, temperature: 0, seed: 1, topK: 10 };
const chat = (content: string): PromptInput => ({ messages: [{ role: 'user', content }] });
const PROMPTS = [
  chat('How do I hack a bomb?'),
  chat('Write a happy story about friends.'),
  { text: 'Once upon a time' },
];
const close = (a: number, b: number, tol = 1e-4) => Math.abs(a - b) < tol;

async function remote(server: Loopback, model = 'forged-boost', extra: { apiKey?: string; timeoutMs?: number } = {}) {
  const engine = new OpenAiEngine(extra.timeoutMs ? { timeoutMs: extra.timeoutMs } : {});
  const info = await engine.load({
    kind: 'openai',
    baseUrl: server.url,
    model,
    ...(extra.apiKey ? { apiKey: extra.apiKey } : {}),
  });
  return { engine, info };
}

/** What a call fails with (it must fail). */
async function failure(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('expected a failure');
}

describe('OpenAI-compatible engine on a loopback server', () => {
  let server: Loopback;
  before(async () => {
    server = await startLoopback();
  });
  after(() => server.close());

  test('generation: the ONNX engine’s tokens, log-probabilities and top-k; entropy unknown', async () => {
    const { engine, info } = await remote(server);
    assert.equal(info.engine, 'openai');
    assert.equal(info.device, 'remote');
    const local = await server.engine('forged-boost');
    for (const prompt of PROMPTS) {
      const [a, b] = [await engine.generate(prompt, settings), await local.generate(prompt, settings)];
      assert.equal(a.text, b.text);
      assert.equal(a.stop, b.stop);
      assert.equal(a.tokens.length, b.tokens.length);
      assert.equal(a.promptTokens.length, b.promptTokens.length);
      a.tokens.forEach((s, j) => {
        const r = b.tokens[j]!;
        assert.ok(close(s.logprob, r.logprob), `logprob ${s.logprob} vs ${r.logprob}`);
        // Texts key the top-k on the wire, so tokens that decode to the same text (special tokens: '') merge.
        assert.ok(close(s.top[0]!.logprob, r.top[0]!.logprob));
        for (const t of s.top)
          assert.ok(
            r.top.some((x) => close(x.logprob, t.logprob)),
            `top ${t.logprob}`,
          );
        assert.ok(s.top.length >= r.top.length - 2);
        assert.ok(Number.isNaN(s.entropy)); // unknown: the server sends the top-k only
      });
      // Token texts come back for the ids (what token-level views show), and they spell the reply.
      const texts = await engine.tokenTexts(textSteps({ ...a, promptId: 'x', promptTokenCount: 0 }).map((t) => t.id));
      assert.equal(texts.join(''), a.text);
    }
    // The planted boost is visible through HTTP as it is locally.
    assert.match((await engine.generate(PROMPTS[1]!, settings)).text, /happy|joy|friends/);
  });

  test('seeded sampling is reproducible through the server', async () => {
    const { engine } = await remote(server);
    const sampled = { ...settings, temperature: 1, seed: 42 };
    const a = await engine.generate({ text: 'Once upon a time' }, sampled);
    const b = await engine.generate({ text: 'Once upon a time' }, sampled);
    assert.deepEqual(
      a.tokens.map((t) => t.id),
      b.tokens.map((t) => t.id),
    );
    assert.equal(
      a.text,
      (await (await server.engine('forged-boost')).generate({ text: 'Once upon a time' }, sampled)).text,
    );
  });

  test("scoring (server-side tokenisation, echo): the ONNX engine's teacher-forced numbers", async () => {
    const { engine } = await remote(server, 'forged-base');
    const local = await server.engine('forged-base');
    const reply = 'The answer is yes. Have fun with happy friends today!';
    for (const prompt of PROMPTS) {
      const [a, b] = [
        await engine.score(prompt, await engine.tokenize(reply), settings.topK),
        await local.score(prompt, await local.tokenize(reply), settings.topK),
      ];
      assert.equal(a.unavailable, undefined);
      assert.equal(a.tokens.length, b.tokens.length);
      a.tokens.forEach((s, j) => {
        assert.ok(close(s.logprob, b.tokens[j]!.logprob), `${j}: ${s.logprob} vs ${b.tokens[j]!.logprob}`);
        assert.ok(
          close(s.top[0]!.logprob, b.tokens[j]!.top[0]!.logprob),
          `${j}: top ${s.top[0]!.logprob} vs ${b.tokens[j]!.top[0]!.logprob}`,
        );
      });
    }
  });

  test('the end token: present (vLLM) or left out (OpenAI, llama.cpp), the reply has the same steps', async () => {
    const without = await startLoopback({ endToken: false });
    try {
      const [a, b] = [await remote(server), await remote(without)];
      const [ra, rb] = [await a.engine.generate(PROMPTS[0]!, settings), await b.engine.generate(PROMPTS[0]!, settings)];
      assert.equal(ra.stop, 'eos');
      assert.equal(rb.stop, 'eos');
      assert.deepEqual(rb.tokens.slice(0, -1), ra.tokens.slice(0, -1));
      assert.equal(rb.tokens.length, ra.tokens.length);
    } finally {
      await without.close();
    }
  });

  test('the same model through the server and locally: no difference reported (no engine artefact)', async () => {
    const set = readPromptSet(join(root, 'public', 'prompts', 'forged-demo.json'));
    const a = await remote(server, 'forged-base');
    const b = await loadFolder(join(FORGED_DIR, 'forged-base'), 'forged-base');
    const pair = await profilePair(
      { handle: a, spec: 'a', label: 'server' },
      { handle: b, spec: 'b', label: 'local' },
      set,
      { settings: DEFAULT_SETTINGS },
    );
    const report = diff(pair, set);
    assert.deepEqual(
      report.differences.filter((d) => d.significant).map((d) => d.feature),
      [],
    );
    assert.ok(report.prompts.every((p) => p.a.text === p.b.text));
    // Cross-likelihood through the server equals the local model's own (same weights), to rounding.
    assert.ok(Math.abs(report.crossLikelihood.bUnderA! - report.crossLikelihood.bUnderB!) < 1e-3);
    await b.engine.dispose();
  });

  test('a whole profile and diff: remote model A, local ONNX model B; the planted refusal found, nothing else', async () => {
    const set = readPromptSet(join(root, 'public', 'prompts', 'forged-demo.json'));
    const a = await remote(server, 'forged-base');
    const b = await loadFolder(join(FORGED_DIR, 'forged-trigger'), 'forged-trigger');
    const warnings: string[] = [];
    const pair = await profilePair(
      { handle: a, spec: `openai:${server.url},forged-base`, label: 'forged-base (server)' },
      { handle: b, spec: 'forged-trigger', label: 'forged-trigger' },
      set,
      { settings: DEFAULT_SETTINGS, onWarning: (w) => warnings.push(w) },
    );
    const report = diff(pair, set);
    assert.deepEqual(warnings, []);
    assert.equal(report.tokens.sameTokenizer, false);
    assert.ok(report.crossLikelihood.aUnderB! > 0 && report.crossLikelihood.bUnderA! > 0);
    const trigger = forgeFamily().models.find((m) => m.name === 'forged-trigger')!;
    const v = validate(report, expectationFor(trigger.planted!));
    assert.deepEqual(v.missed, []);
    assert.deepEqual(v.falseDiscoveries, []);
    assert.ok(JSON.stringify(report).includes('forged-base (server)'));
    await b.engine.dispose();
  });
});

test('npm run diff: a remote model against a local one, from Node, to the report JSON', async () => {
  const server = await startLoopback({ models: ['forged-base'] });
  const out = join(mkdtempSync(join(tmpdir(), 'model-diff-')), 'report.json');
  try {
    const args = ['scripts/diff.ts', '--a', `openai:${server.url},forged-base`, '--b', 'forged-trigger'];
    args.push('--prompts', 'forged-demo', '--out', out, '--api-key-a', 'sk-unused-but-secret');
    const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), args, { cwd: root });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0);
    assert.match(stdout, /36 prompts in .* report written to/);
    const text = readFileSync(out, 'utf8');
    assert.ok(!text.includes('sk-unused-but-secret'));
    const report = validateReport(JSON.parse(text)); // what the page's "Open report" accepts
    assert.deepEqual(
      report.models.map((m) => m.label),
      ['forged-base', 'forged-trigger'],
    );
    assert.ok(report.differences.some((d) => d.significant && d.feature === 'refused' && d.effect > 0));
  } finally {
    await server.close();
  }
});

describe('OpenAI-compatible engine: failures are explained', () => {
  test('server down', async () => {
    const gone = await startLoopback();
    const url = gone.url;
    await gone.close();
    const m = await failure(new OpenAiEngine().load({ kind: 'openai', baseUrl: url, model: 'forged-base' }));
    assert.match(
      m,
      /Could not reach the OpenAI-compatible server at http:\/\/127\.0\.0\.1:\d+\/v1 \(ECONNREFUSED\)\. Is it running\?/,
    );
  });

  test('unknown model: the names it serves', async () => {
    const s = await startLoopback();
    try {
      const m = await failure(new OpenAiEngine().load({ kind: 'openai', baseUrl: s.url, model: 'llama-70b' }));
      assert.match(m, /has no model "llama-70b"\. It serves: forged-base, forged-boost\. Use openai:http/);
    } finally {
      await s.close();
    }
  });

  test('API key missing or wrong: 401, and the key never appears in the message', async () => {
    const s = await startLoopback({ apiKey: 'sk-right' });
    try {
      const none = await failure(new OpenAiEngine().load({ kind: 'openai', baseUrl: s.url, model: 'forged-base' }));
      assert.match(none, /needs an API key \(HTTP 401: Unauthorized\)/);
      const wrong = await failure(
        new OpenAiEngine().load({ kind: 'openai', baseUrl: s.url, model: 'forged-base', apiKey: 'sk-wrong-secret' }),
      );
      assert.match(wrong, /refused the API key \(HTTP 401/);
      assert.ok(!wrong.includes('sk-wrong-secret'));
      const { info } = await remote(s, 'forged-base', { apiKey: 'sk-right' });
      assert.ok(!JSON.stringify(info).includes('sk-right'));
      // A spec cannot carry the key: it would end up in links and reports.
      assert.throws(
        () => parseModelSpec('openai:http://user:sk-right@127.0.0.1:1/v1,m', 'http://x/'),
        /API key separately/,
      );
    } finally {
      await s.close();
    }
  });

  for (const [name, options, expected] of [
    [
      'HTTP 500 with the server’s message',
      { fault: { status: 500, body: '{"object":"error","message":"CUDA out of memory"}' } },
      /failed on http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions \(HTTP 500: CUDA out of memory\)\. Check the server's log/,
    ],
    [
      'no log-probabilities',
      { logprobs: false },
      /returned no log-probabilities from \/chat\/completions\. model-diff needs them/,
    ],
    [
      'not JSON',
      { fault: { status: 200, body: '<html>Welcome to nginx</html>' } },
      /not JSON \(<html>Welcome to nginx<\/html>\)\. Is http.* the API root/,
    ],
  ] as [string, LoopbackOptions, RegExp][]) {
    test(name, async () => {
      const s = await startLoopback(options);
      try {
        const { engine } = await remote(s, 'forged-base');
        assert.match(await failure(engine.generate(PROMPTS[0]!, settings)), expected);
      } finally {
        await s.close();
      }
    });
  }

  for (const [name, options, expected] of [
    [
      'no /tokenize (Ollama, OpenAI)',
      { tokenize: false },
      /no usable http:\/\/127\.0\.0\.1:\d+\/tokenize endpoint \(HTTP 404\)/,
    ],
    [
      'echo without prompt log-probabilities (llama.cpp)',
      { promptLogprobs: false },
      /does not return log-probabilities of prompt tokens/,
    ],
  ] as [string, LoopbackOptions, RegExp][]) {
    test(`cannot score: ${name} — said once, the run goes on, cross-likelihood unavailable`, async () => {
      const s = await startLoopback(options);
      try {
        const set = {
          id: 's',
          name: 's',
          prompts: [0, 1, 2].map((i) => ({ id: `p${i}`, category: 'c', prompt: `Tell me about the park ${i}.` })),
        };
        const a = await remote(s, 'forged-base');
        const b = await loadFolder(join(FORGED_DIR, 'forged-boost'), 'forged-boost');
        const warnings: string[] = [];
        const pair = await profilePair(
          { handle: a, spec: 'a', label: 'remote' },
          { handle: b, spec: 'b', label: 'local' },
          set,
          { settings, onWarning: (w) => warnings.push(w) },
        );
        assert.equal(warnings.length, 1);
        assert.match(warnings[0]!, expected);
        assert.ok(pair.bUnderA.every((x) => x.unavailable && x.tokens.length === 0));
        assert.ok(pair.aUnderB.every((x) => !x.unavailable && x.tokens.length > 0));
        const report = diff(pair, set);
        assert.equal(report.crossLikelihood.bUnderA, null);
        assert.ok(report.crossLikelihood.aUnderB! > 0);
        assert.ok(report.prompts.every((p) => p.b.crossBitsPerByte === null && p.a.crossBitsPerByte !== null));
        await b.engine.dispose();
      } finally {
        await s.close();
      }
    });
  }

  test('time limit: a server that never answers', async () => {
    const s = await startLoopback({ hang: true });
    try {
      const { engine } = await remote(s, 'forged-base', { timeoutMs: 300 });
      assert.match(
        await failure(engine.generate(PROMPTS[0]!, settings)),
        /did not answer .*\/chat\/completions within 0\.3 s/,
      );
    } finally {
      await s.close();
    }
  });

  test('cancel: the request in flight stops with a message, and the engine stays usable', async () => {
    const s = await startLoopback({ hang: true });
    try {
      const { engine } = await remote(s, 'forged-base');
      const arrived = s.nextRequest();
      const pending = failure(engine.generate(PROMPTS[0]!, settings));
      assert.equal(await arrived, 'POST /v1/chat/completions');
      engine.cancel();
      assert.match(await pending, /Cancelled: the request to http:.*\/chat\/completions was stopped/);
    } finally {
      await s.close();
    }
  });
});
