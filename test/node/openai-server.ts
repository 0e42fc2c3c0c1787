// A small OpenAI-compatible server on loopback for tests, backed by real models: the forged folders run by the
// project's ONNX engine (onnxruntime-node). It speaks the parts of the protocol the OpenAI-compatible engine uses, as
// vLLM does: GET /v1/models; POST /v1/chat/completions and /v1/completions with logprobs/top_logprobs, seed,
// temperature, top_k, echo (prompt log-probabilities, the first one null) and token-id prompts; POST /tokenize at the
// root. Token texts are incremental detokenisations (each token's text is what it adds to the decoded text; an
// alternative that adds nothing, a special token, is named by its token string), and top_logprobs maps hold the chosen
// token too, as vLLM's do. Switches reproduce other servers and failures.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TokenAlternative, TokenStep } from '../../src/core/engine/types.ts';
import { loadFolder } from '../../src/node/profile-forged.ts';
import type { OnnxEngine } from '../../workers/onnx-engine.ts';

export const FORGED_DIR = join(import.meta.dirname, '..', '..', 'public', 'forged');

export interface LoopbackOptions {
  /** Model names served, each a folder under public/forged (default: forged-base and forged-boost). */
  models?: string[];
  /** Requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Access-Control-Allow-Origin: * and answers to preflight (default true). */
  cors?: boolean;
  /** The end-of-reply token appears in log-probabilities (vLLM; default true) or not (OpenAI, llama.cpp). */
  endToken?: boolean;
  /** /tokenize exists (vLLM; default true) or is 404 (Ollama, llama.cpp's differs). */
  tokenize?: boolean;
  /** echo returns prompt log-probabilities (default true) or is ignored (llama.cpp). */
  promptLogprobs?: boolean;
  /** Responses carry log-probabilities (default true) or logprobs: null. */
  logprobs?: boolean;
  /** Every POST is answered with this status and body. */
  fault?: { status: number; body: string };
  /** POSTs are read and never answered (until close). */
  hang?: boolean;
}

export interface Loopback {
  /** The API root, http://127.0.0.1:<port>/v1. */
  url: string;
  /** Method and path of every request, in order. */
  requests: string[];
  /** Resolves at the next request the server receives. */
  nextRequest(): Promise<string>;
  /** The engine behind a model name (for comparing numbers). */
  engine(name: string): Promise<OnnxEngine>;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

export async function startLoopback(options: LoopbackOptions = {}): Promise<Loopback> {
  const names = options.models ?? ['forged-base', 'forged-boost'];
  const engines = new Map<string, Promise<OnnxEngine>>();
  const engine = (name: string) => {
    if (!engines.has(name))
      engines.set(
        name,
        loadFolder(join(FORGED_DIR, name), name).then((h) => h.engine),
      );
    return engines.get(name)!;
  };
  const requests: string[] = [];
  let waiting: ((r: string) => void)[] = [];
  const server = createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    requests.push(line);
    waiting.forEach((w) => w(line));
    waiting = [];
    handle(req, res).catch((e: unknown) => send(res, 500, { object: 'error', message: String(e) }));
  });

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', ...cors() });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const cors = (): Record<string, string> =>
    options.cors === false
      ? {}
      : {
          'access-control-allow-origin': '*',
          'access-control-allow-headers': 'authorization, content-type',
          'access-control-allow-methods': 'GET, POST, OPTIONS',
        };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'OPTIONS') {
      res.writeHead(options.cors === false ? 405 : 204, cors());
      res.end();
      return;
    }
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      send(res, 401, { error: 'Unauthorized' });
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') {
      const now = Math.floor(Date.now() / 1000);
      send(res, 200, {
        object: 'list',
        data: names.map((id) => ({ id, object: 'model', created: now, owned_by: 'model-diff-loopback' })),
      });
      return;
    }
    if (req.method !== 'POST') return send(res, 404, { detail: 'Not Found' });
    const body = JSON.parse(await readBody(req)) as Json;
    if (options.hang) return; // the socket stays open until close()
    if (options.fault) return send(res, options.fault.status, options.fault.body);
    if (path === '/tokenize' && options.tokenize === false) return send(res, 404, { detail: 'Not Found' });
    const model = String(body['model']);
    if (!names.includes(model)) {
      return send(res, 404, {
        object: 'error',
        message: `The model \`${model}\` does not exist.`,
        type: 'NotFoundError',
        code: 404,
      });
    }
    const e = await engine(model);
    if (path === '/tokenize') return send(res, 200, await tokenize(e, body));
    if (path === '/v1/chat/completions') return send(res, 200, await chat(e, body));
    if (path === '/v1/completions') return send(res, 200, await completion(e, body));
    send(res, 404, { detail: 'Not Found' });
  }

  async function tokenize(e: OnnxEngine, body: Json): Promise<Json> {
    const tokens = Array.isArray(body['messages'])
      ? await e.encode({ messages: body['messages'] as { role: 'user'; content: string }[] })
      : body['add_special_tokens'] === false
        ? await e.tokenize(String(body['prompt']))
        : await e.encode({ text: String(body['prompt']) });
    return { count: tokens.length, max_model_len: 2048, tokens };
  }

  const settingsOf = (body: Json, k: number) => ({
    maxNewTokens: Number(body['max_tokens'] ?? 16),
    temperature: Number(body['temperature'] ?? 1),
    seed: Number(body['seed'] ?? 0),
    topK: Math.max(k, 1),
  });

  async function chat(e: OnnxEngine, body: Json): Promise<Json> {
    const k = Number(body['top_logprobs'] ?? 0);
    const gen = await e.generate(
      { messages: body['messages'] as { role: 'user'; content: string }[] },
      settingsOf(body, k),
    );
    let steps = gen.tokens;
    if (gen.stop === 'eos' && options.endToken === false) steps = steps.slice(0, -1);
    const texts = await deltas(e, [], steps);
    const wantLogprobs = body['logprobs'] === true && options.logprobs !== false;
    return {
      id: 'chatcmpl-loopback',
      object: 'chat.completion',
      model: body['model'],
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: gen.text },
          logprobs: wantLogprobs
            ? {
                content: steps.map((s, i) => ({
                  token: texts[i]!.text,
                  logprob: s.logprob,
                  bytes: [...new TextEncoder().encode(texts[i]!.text)],
                  top_logprobs: s.top
                    .slice(0, k)
                    .map((t, j) => ({ token: texts[i]!.top[j]!, logprob: t.logprob, bytes: [] as number[] })),
                })),
              }
            : null,
          finish_reason: gen.stop === 'eos' ? 'stop' : 'length',
        },
      ],
      usage: {
        prompt_tokens: gen.promptTokens.length,
        completion_tokens: gen.tokens.length,
        total_tokens: gen.promptTokens.length + gen.tokens.length,
      },
    };
  }

  async function completion(e: OnnxEngine, body: Json): Promise<Json> {
    const k = body['logprobs'] === null || body['logprobs'] === undefined ? null : Number(body['logprobs']);
    const prompt = body['prompt'];
    const ids = Array.isArray(prompt) ? (prompt as number[]) : await e.encode({ text: String(prompt) });
    const echo = body['echo'] === true && options.promptLogprobs !== false;
    const maxTokens = Number(body['max_tokens'] ?? 16);
    const gen = maxTokens > 0 ? await e.generate({ tokens: ids }, settingsOf(body, k ?? 1)) : null;
    let genSteps = gen?.tokens ?? [];
    if (gen?.stop === 'eos' && options.endToken === false) genSteps = genSteps.slice(0, -1);
    const entries: { token: string; logprob: number | null; top: Record<string, number> | null }[] = [];
    if (echo) {
      const scored = ids.length > 1 ? await e.score({ tokens: [ids[0]!] }, ids.slice(1), Math.max(k ?? 1, 1)) : null;
      const steps: TokenStep[] = scored?.tokens ?? [];
      const texts = await deltas(e, [], [{ id: ids[0]!, logprob: 0, entropy: 0, top: [] }, ...steps]);
      entries.push({ token: texts[0]!.text, logprob: null, top: null });
      steps.forEach((s, i) =>
        entries.push({ token: texts[i + 1]!.text, logprob: s.logprob, top: topMap(s, texts[i + 1]!, k) }),
      );
    }
    const genTexts = await deltas(e, [], genSteps);
    genSteps.forEach((s, i) =>
      entries.push({ token: genTexts[i]!.text, logprob: s.logprob, top: topMap(s, genTexts[i]!, k) }),
    );
    const text = (echo ? await e.decode(ids) : '') + (gen?.text ?? '');
    const offsets: number[] = [];
    let at = 0;
    for (const x of entries) {
      offsets.push(at);
      at += [...x.token].length;
    }
    return {
      id: 'cmpl-loopback',
      object: 'text_completion',
      model: body['model'],
      choices: [
        {
          index: 0,
          text,
          logprobs:
            k === null || options.logprobs === false
              ? null
              : {
                  text_offset: offsets,
                  token_logprobs: entries.map((x) => x.logprob),
                  tokens: entries.map((x) => x.token),
                  top_logprobs: entries.map((x) => x.top),
                },
          finish_reason: gen?.stop === 'eos' ? 'stop' : 'length',
        },
      ],
      usage: { prompt_tokens: ids.length, completion_tokens: gen?.tokens.length ?? 0 },
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    engine,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const e of engines.values()) await (await e).dispose();
    },
  };
}

/** The chosen token and the top-k, as a {text: logprob} map (vLLM adds the chosen token to the top-k). */
function topMap(s: TokenStep, texts: { text: string; top: string[] }, k: number | null): Record<string, number> | null {
  if (k === null) return null;
  const map: Record<string, number> = {};
  s.top.slice(0, k).forEach((t: TokenAlternative, j) => (map[texts.top[j]!] = t.logprob));
  map[texts.text] = s.logprob;
  return map;
}

/** Each step's text (and its alternatives') as what it adds to the text decoded so far. */
async function deltas(
  e: OnnxEngine,
  before: number[],
  steps: readonly TokenStep[],
): Promise<{ text: string; top: string[] }[]> {
  const out: { text: string; top: string[] }[] = [];
  const ids = [...before];
  const decode = (x: number[]) => (x.length ? e.decode(x) : Promise.resolve(''));
  let decoded = await decode(ids);
  for (const s of steps) {
    const top: string[] = [];
    // An alternative that adds no text (a special token) is named by its token string, as vLLM names it.
    for (const t of s.top)
      top.push((await decode([...ids, t.id])).slice(decoded.length) || (await e.tokenTexts([t.id]))[0]!);
    ids.push(s.id);
    const next = await decode(ids);
    out.push({ text: next.slice(decoded.length), top });
    decoded = next;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
