// The OpenAI-compatible engine: a model behind an HTTP server that speaks the OpenAI API with log-probabilities
// (vLLM, llama.cpp server, Ollama…), so the same prompt sets and diff run on models too large for a browser. Plain
// fetch: it runs in a worker in the page (the server must allow this origin: CORS) and in Node.
//
// - generate: /chat/completions for chat prompts (the server applies the model's template), /completions for raw
//   text, with logprobs and top_logprobs. The server's numbers are taken as the model's log-probabilities. Entropy is
//   unknown (NaN): the server sends the top-k only, and a bound from it would not compare with a local model's exact
//   entropy, so the report leaves the entropy features out for remote models rather than report a false difference.
// - score (teacher forcing): the prompt and the continuation are tokenised by the server (vLLM's /tokenize), then
//   /completions with the joined token ids, echo and logprobs returns the log-probability of every prompt token.
//   A server without /tokenize or without prompt log-probabilities cannot score: score() then says so in
//   `unavailable`, and the report marks that model's cross-likelihood as unavailable instead of failing the run.
// - Token ids: the server's token *texts* are what the API returns, so an id here is a 52-bit hash of the text;
//   equal ids mean equal text in every engine instance and every session. Texts are kept in a table (shared by the
//   engines of one process, and in IndexedDB across the page's workers) for decode() and tokenTexts().

import type {
  EngineSource,
  GenerationResult,
  GenerationSettings,
  LoadProgress,
  ModelInfo,
  OpenAiSource,
  PromptInput,
  ScoreResult,
  ScoredStep,
  TokenAlternative,
  TokenStep,
} from '../src/core/engine/types.ts';
import { canonicalJson, fnv1a64 } from '../src/core/prompts/hash.ts';
import type { EngineApi, RuntimeOptions } from './engine-api.ts';

/** Where token texts are kept by id: a Map in Node, IndexedDB in the page's workers (see openai.worker.ts). */
export interface TokenTextStore {
  get(ids: number[]): Promise<(string | undefined)[]>;
  put(entries: [number, string][]): Promise<void>;
}

const shared = new Map<number, string>();
/** The default store: one table for every engine in this JavaScript context. */
export const memoryStore: TokenTextStore = {
  async get(ids) {
    return ids.map((id) => shared.get(id));
  },
  async put(entries) {
    for (const [id, text] of entries) shared.set(id, text);
  },
};

export interface OpenAiEngineOptions {
  /** Time limit of one HTTP request in milliseconds (default 10 minutes: a large model's long reply is slow). */
  timeoutMs?: number;
  store?: TokenTextStore;
}

/** The id of a token text: the top 52 bits of its FNV-1a 64 hash (a safe integer, stable everywhere). */
export function textId(text: string): number {
  return parseInt(fnv1a64(`\u0001${text}`).slice(3), 16);
}

/** Stands for the end of a reply when the server does not report its end token (the step textSteps() drops). */
export const END_TEXT = '';

interface Entry {
  text: string;
  logprob: number;
  top: { text: string; logprob: number }[];
}

interface TokenizeResponse {
  tokens?: unknown;
}

class ScoreUnavailable extends Error {}

export class OpenAiEngine implements EngineApi {
  readonly #timeoutMs: number;
  readonly #store: TokenTextStore;
  readonly #texts = new Map<number, string>();
  readonly #pending: [number, string][] = [];
  #source: OpenAiSource | null = null;
  #info: ModelInfo | null = null;
  #abort = new AbortController();
  #cannotScore: string | null = null;

  constructor(options: OpenAiEngineOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 600_000;
    this.#store = options.store ?? memoryStore;
  }

  async load(
    source: EngineSource,
    _options?: RuntimeOptions,
    onProgress?: (p: LoadProgress) => void,
  ): Promise<ModelInfo> {
    await this.dispose();
    if (source.kind !== 'openai')
      throw new Error(`The OpenAI-compatible engine cannot load a "${source.kind}" source.`);
    this.#source = { ...source, baseUrl: source.baseUrl.replace(/\/+$/, '') };
    const list = (await this.#request('/models')) as { data?: { id?: unknown }[] };
    if (!Array.isArray(list?.data)) throw this.#malformed('/models', 'no "data" list of models');
    const entry = list.data.find((m) => m.id === source.model);
    if (!entry) {
      const ids = list.data.map((m) => String(m.id)).slice(0, 12);
      throw new Error(
        `The server at ${this.#base} has no model "${source.model}". It serves: ${ids.join(', ') || 'nothing'}. ` +
          `Use openai:${this.#base},<one of those>.`,
      );
    }
    const described = Object.fromEntries(Object.entries(entry).filter(([k]) => k !== 'created'));
    onProgress?.({ file: 'server', loaded: -1, total: -1, done: true });
    this.#info = {
      id: `openai:${this.#base},${source.model}`,
      engine: 'openai',
      architecture: 'remote',
      vocabSize: 0,
      tokenizerFingerprint: `remote:${fnv1a64(`${this.#base}\u0000${source.model}`)}`,
      dtype: 'remote',
      device: 'remote',
      hasChatTemplate: true,
      eosTokenIds: [],
      parameterBytes: 0,
      fingerprint: fnv1a64(['openai', this.#base, source.model, canonicalJson(described)].join('\u0000')),
    };
    return this.#info;
  }

  /** Aborts the requests in flight: they reject with a message saying so. The engine stays usable. */
  cancel(): void {
    this.#abort.abort(new Error('cancelled'));
    this.#abort = new AbortController();
  }

  async encode(prompt: PromptInput): Promise<number[]> {
    if ('tokens' in prompt) return [...prompt.tokens];
    throw new Error(`${this.#name}: prompts are tokenised on the server; encode() is not available for remote models.`);
  }

  async decode(ids: number[]): Promise<string> {
    return (await this.#textsOf(ids)).join('');
  }

  /** One id for the whole text: the server tokenises it when scoring, so the text must travel unchanged. */
  async tokenize(text: string): Promise<number[]> {
    const id = this.#register(text);
    await this.#flush();
    return [id];
  }

  async tokenTexts(ids: number[]): Promise<string[]> {
    return (await this.#textsOf(ids, false)).map((t) => t ?? '');
  }

  async generate(prompt: PromptInput, settings: GenerationSettings): Promise<GenerationResult> {
    this.#ready();
    if ('tokens' in prompt) throw new Error(`${this.#name}: remote models take text or chat prompts, not token ids.`);
    const k = Math.min(Math.max(settings.topK, 1), 20);
    const sampling =
      settings.temperature > 0
        ? { temperature: settings.temperature, seed: settings.seed, top_k: 40 }
        : { temperature: 0, seed: settings.seed };
    const t0 = performance.now();
    let entries: Entry[];
    let text: string;
    let choice: Record<string, unknown>;
    let usage: { prompt_tokens?: number } | undefined;
    if ('messages' in prompt) {
      const res = (await this.#request('/chat/completions', {
        model: this.#source!.model,
        messages: prompt.messages,
        max_tokens: settings.maxNewTokens,
        ...sampling,
        logprobs: true,
        top_logprobs: k,
      })) as { choices?: Record<string, unknown>[]; usage?: { prompt_tokens?: number } };
      choice = this.#choice(res, '/chat/completions');
      usage = res.usage;
      const message = choice['message'] as { content?: unknown } | undefined;
      text = typeof message?.content === 'string' ? message.content : '';
      const content = (choice['logprobs'] as { content?: unknown } | null | undefined)?.content;
      if (!Array.isArray(content)) throw this.#noLogprobs('/chat/completions');
      entries = content.map((e) => this.#chatEntry(e));
    } else {
      const res = (await this.#request('/completions', {
        model: this.#source!.model,
        prompt: prompt.text,
        max_tokens: settings.maxNewTokens,
        ...sampling,
        logprobs: k,
      })) as { choices?: Record<string, unknown>[]; usage?: { prompt_tokens?: number } };
      choice = this.#choice(res, '/completions');
      usage = res.usage;
      text = typeof choice['text'] === 'string' ? choice['text'] : '';
      const lp = choice['logprobs'];
      if (!lp || typeof lp !== 'object') throw this.#noLogprobs('/completions');
      entries = this.#completionEntries(lp as Record<string, unknown>, '/completions');
    }
    const decodeMs = performance.now() - t0;
    const stop: GenerationResult['stop'] = choice['finish_reason'] === 'length' ? 'length' : 'eos';
    const tokens = entries.map((e) => this.#step(e, k));
    // Convention of every engine: an 'eos' reply ends with its end token. Servers that leave it out of the
    // log-probabilities (OpenAI, llama.cpp) get a placeholder with unknown (NaN) numbers, which textSteps() drops.
    if (stop === 'eos' && !endsWithEndToken(entries, text)) {
      tokens.push({ id: this.#register(END_TEXT), logprob: Number.NaN, entropy: Number.NaN, top: [] });
    }
    await this.#flush();
    const n = Math.max(0, Number(usage?.prompt_tokens) || 0);
    return {
      // The server counts the prompt's tokens but does not return them: n placeholders (-1), for the count.
      promptTokens: new Array<number>(n).fill(-1),
      tokens,
      text,
      stop,
      timings: { prefillMs: 0, decodeMs, tokensPerSecond: tokens.length > 0 ? (tokens.length / decodeMs) * 1000 : 0 },
    };
  }

  async score(prompt: PromptInput, continuation: number[], k: number, candidates?: number[][]): Promise<ScoreResult> {
    this.#ready();
    if ('tokens' in prompt) throw new Error(`${this.#name}: remote models take text or chat prompts, not token ids.`);
    if (this.#cannotScore) return { promptTokens: [], tokens: [], unavailable: this.#cannotScore };
    const text = (await this.#textsOf(continuation)).join('');
    if (!text) return { promptTokens: [], tokens: [] };
    try {
      return await this.#score(prompt, text, k, candidates);
    } catch (e) {
      if (!(e instanceof ScoreUnavailable)) throw e;
      this.#cannotScore = e.message;
      return { promptTokens: [], tokens: [], unavailable: e.message };
    }
  }

  async #score(
    prompt: { messages: { role: string; content: string }[] } | { text: string },
    text: string,
    k: number,
    candidates?: number[][],
  ): Promise<ScoreResult> {
    const model = this.#source!.model;
    const [head, tail] = await Promise.all([
      this.#tokenize(
        'messages' in prompt
          ? { model, messages: prompt.messages, add_generation_prompt: true }
          : { model, prompt: prompt.text, add_special_tokens: true },
      ),
      this.#tokenize({ model, prompt: text, add_special_tokens: false }),
    ]);
    const ids = [...head, ...tail];
    const wanted = candidates ? 20 : Math.min(Math.max(k, 1), 20);
    const res = (await this.#request('/completions', {
      model,
      prompt: ids,
      echo: true,
      max_tokens: 1,
      temperature: 0,
      logprobs: wanted,
    })) as { choices?: Record<string, unknown>[] };
    const lp = this.#choice(res, '/completions')['logprobs'];
    const entries =
      lp && typeof lp === 'object' ? this.#completionEntries(lp as Record<string, unknown>, '/completions', true) : [];
    if (entries.length < ids.length || entries.slice(head.length, ids.length).some((e) => Number.isNaN(e.logprob))) {
      throw new ScoreUnavailable(
        `${this.#name} does not return log-probabilities of prompt tokens (echo), so it cannot score another ` +
          "model's replies: cross-likelihood and token-level comparisons with it are unavailable. vLLM returns them.",
      );
    }
    const tokens: ScoredStep[] = [];
    for (let j = 0; j < tail.length; j++) {
      const e = entries[head.length + j]!;
      const step: ScoredStep = this.#step(e, k);
      const owner = candidates?.[j];
      if (owner) {
        const texts = await this.#textsOf(owner, false);
        const found = texts.map((t) => (t === undefined ? undefined : e.top.find((x) => x.text === t)));
        // Only when the server's top log-probabilities hold every candidate; otherwise the position is skipped.
        if (found.every((f) => f !== undefined))
          step.candidates = found.map((f, i) => ({ id: owner[i]!, logprob: f!.logprob }));
      }
      tokens.push(step);
    }
    await this.#flush();
    return { promptTokens: head, tokens };
  }

  async logits(): Promise<Float32Array> {
    throw this.#noLogits();
  }

  async beginSteps(): Promise<{ promptTokens: number[]; logits: Float32Array }> {
    throw this.#noLogits();
  }

  async step(): Promise<Float32Array> {
    throw this.#noLogits();
  }

  async endSteps(): Promise<void> {}

  async dispose(): Promise<void> {
    this.cancel();
    this.#source = null;
    this.#info = null;
    this.#cannotScore = null;
  }

  get #base(): string {
    return this.#source?.baseUrl ?? '(no server)';
  }

  get #name(): string {
    return `The server at ${this.#base}`;
  }

  #ready(): ModelInfo {
    if (!this.#info) throw new Error('No model is loaded: call load() first.');
    return this.#info;
  }

  async #tokenize(body: Record<string, unknown>): Promise<number[]> {
    // vLLM serves /tokenize at the server root, next to /v1.
    const root = this.#base.replace(/\/v1$/, '');
    let res: TokenizeResponse;
    try {
      res = (await this.#request('/tokenize', body, root)) as TokenizeResponse;
    } catch (e) {
      if (e instanceof HttpError && [400, 404, 405, 422, 501].includes(e.status)) {
        throw new ScoreUnavailable(
          `${this.#name} cannot score another model's replies: it has no usable ${root}/tokenize endpoint ` +
            `(HTTP ${e.status}) to turn the prompt into the token ids the model saw. Cross-likelihood and ` +
            'token-level comparisons with it are unavailable. vLLM has one.',
        );
      }
      throw e;
    }
    if (!Array.isArray(res?.tokens) || !res.tokens.every((t) => Number.isInteger(t)))
      throw this.#malformed('/tokenize', 'no "tokens" list of integers');
    return res.tokens as number[];
  }

  #choice(res: { choices?: Record<string, unknown>[] }, path: string): Record<string, unknown> {
    const choice = res?.choices?.[0];
    if (!choice || typeof choice !== 'object') throw this.#malformed(path, 'no "choices"');
    return choice;
  }

  #chatEntry(e: unknown): Entry {
    const o = e as { token?: unknown; logprob?: unknown; top_logprobs?: unknown };
    if (typeof o?.token !== 'string' || typeof o.logprob !== 'number')
      throw this.#malformed('/chat/completions', 'a log-probability entry without "token" and "logprob"');
    const top = Array.isArray(o.top_logprobs) ? o.top_logprobs : [];
    return {
      text: o.token,
      logprob: o.logprob,
      top: top
        .filter(
          (t: { token?: unknown; logprob?: unknown }) => typeof t?.token === 'string' && typeof t.logprob === 'number',
        )
        .map((t: { token: string; logprob: number }) => ({ text: t.token, logprob: t.logprob })),
    };
  }

  /** The legacy completions format: parallel lists of tokens, logprobs and {token: logprob} maps. */
  #completionEntries(lp: Record<string, unknown>, path: string, echo = false): Entry[] {
    const tokens = lp['tokens'];
    const logprobs = lp['token_logprobs'];
    const tops = lp['top_logprobs'];
    if (!Array.isArray(tokens) || !Array.isArray(logprobs) || tokens.length !== logprobs.length) {
      if (echo) return [];
      throw this.#noLogprobs(path);
    }
    return tokens.map((t, i) => {
      const lpi = logprobs[i];
      // An echoed prompt's first token has no log-probability (null): kept as NaN, never scored.
      if (typeof t !== 'string' || (typeof lpi !== 'number' && !(echo && lpi === null)))
        throw this.#malformed(path, `token ${i} without a text and a log-probability`);
      const map =
        Array.isArray(tops) && tops[i] && typeof tops[i] === 'object' ? (tops[i] as Record<string, unknown>) : {};
      const top = Object.entries(map)
        .filter((x): x is [string, number] => typeof x[1] === 'number')
        .map(([text, logprob]) => ({ text, logprob }));
      return { text: t, logprob: typeof lpi === 'number' ? lpi : Number.NaN, top };
    });
  }

  #step(e: Entry, k: number): TokenStep {
    const byText = new Map<string, number>();
    for (const t of e.top) if (!byText.has(t.text) || byText.get(t.text)! < t.logprob) byText.set(t.text, t.logprob);
    const sorted = [...byText].sort((a, b) => b[1] - a[1]);
    const top: TokenAlternative[] = [];
    for (const [text, logprob] of sorted.slice(0, k)) top.push({ id: this.#register(text), logprob });
    if (!byText.has(e.text)) byText.set(e.text, e.logprob);
    return { id: this.#register(e.text), logprob: e.logprob, entropy: Number.NaN, top };
  }

  #register(text: string): number {
    const id = textId(text);
    if (this.#texts.get(id) !== text) {
      this.#texts.set(id, text);
      this.#pending.push([id, text]);
    }
    return id;
  }

  /** Stores the texts registered since the last flush (before ids leave this engine, so other engines find them). */
  async #flush(): Promise<void> {
    const entries = this.#pending.splice(0);
    // A store that fails (storage full) costs only the texts' reuse by other workers, never the run.
    if (entries.length) await this.#store.put(entries).catch(() => {});
  }

  async #textsOf(ids: number[], strict?: true): Promise<string[]>;
  async #textsOf(ids: number[], strict: false): Promise<(string | undefined)[]>;
  async #textsOf(ids: number[], strict = true): Promise<(string | undefined)[]> {
    const missing = [...new Set(ids.filter((id) => !this.#texts.has(id)))];
    if (missing.length) {
      const found = await this.#store.get(missing);
      missing.forEach((id, i) => found[i] !== undefined && this.#texts.set(id, found[i]!));
    }
    return ids.map((id) => {
      const t = this.#texts.get(id);
      if (t === undefined && strict)
        throw new Error(`${this.#name}: no text is known for token id ${id}; remote token ids come from this app.`);
      return t;
    });
  }

  async #request(path: string, body?: unknown, root = this.#base): Promise<unknown> {
    const url = `${root}${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#source?.apiKey) headers['authorization'] = `Bearer ${this.#source.apiKey}`;
    const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.#timeoutMs)]);
    let text: string;
    let status: number;
    try {
      const res = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      throw this.#networkError(e, url, signal);
    }
    if (status < 200 || status >= 300) throw this.#httpError(status, text, url);
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(
        `${this.#name} answered ${url} with something that is not JSON (${snippet(text)}). Is ${this.#base} the ` +
          'API root of an OpenAI-compatible server? It usually ends in /v1.',
      );
    }
  }

  #networkError(e: unknown, url: string, signal: AbortSignal): Error {
    const reason = signal.reason as { name?: string } | undefined;
    if (signal.aborted && reason?.name === 'TimeoutError') {
      return new Error(
        `${this.#name} did not answer ${url} within ${seconds(this.#timeoutMs)} s. It may be overloaded, ` +
          'or the model too slow for this reply length: lower max_new_tokens or raise the time limit.',
      );
    }
    if (signal.aborted) return new Error(`Cancelled: the request to ${url} was stopped before the server answered.`);
    const code = (e as { cause?: { code?: string } })?.cause?.code;
    if (code) {
      return new Error(
        `Could not reach the OpenAI-compatible server at ${this.#base} (${code}). Is it running? Start it (for ` +
          'example `vllm serve <model>`), or correct the URL.',
      );
    }
    const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
    if (origin) {
      return new Error(
        `Could not reach ${this.#base} from this page: the server is down, the URL is wrong, or it does not allow ` +
          `cross-origin requests from ${origin} (CORS). If ${this.#base}/models opens in a browser tab, allow this ` +
          `origin on the server: vLLM --allowed-origins '["${origin}"]', Ollama OLLAMA_ORIGINS=${origin}; ` +
          'llama.cpp server allows every origin by default.',
      );
    }
    return new Error(`Could not reach the OpenAI-compatible server at ${this.#base}: ${message(e)}.`);
  }

  #httpError(status: number, body: string, url: string): Error {
    const said = serverMessage(body);
    const why = said ? `: ${said}` : '';
    if (status === 401 || status === 403) {
      return new HttpError(
        status,
        this.#source?.apiKey
          ? `${this.#name} refused the API key (HTTP ${status}${why}). Check the key; model-diff keeps it in memory ` +
              'only and never puts it in links or reports.'
          : `${this.#name} needs an API key (HTTP ${status}${why}). Give one: in the page, in the API key field ` +
              'under the model; in Node, with --api-key or OPENAI_API_KEY.',
      );
    }
    if (status === 404 && /model/i.test(said)) {
      return new HttpError(
        status,
        `${this.#name} has no model "${this.#source?.model}" (HTTP 404${why}). See ${this.#base}/models for the names it serves.`,
      );
    }
    if (status === 404)
      return new HttpError(status, `${this.#name} has no ${url} endpoint (HTTP 404). Is ${this.#base} its API root?`);
    return new HttpError(
      status,
      `${this.#name} failed on ${url} (HTTP ${status}${why || `: ${snippet(body)}`}). Check the server's log.`,
    );
  }

  #noLogprobs(path: string): Error {
    return new Error(
      `${this.#name} returned no log-probabilities from ${path}. model-diff needs them for every token: use a ` +
        'server that returns logprobs (vLLM, llama.cpp server, Ollama 0.12 or later) and a model it serves with them.',
    );
  }

  #malformed(path: string, what: string): Error {
    return new Error(`${this.#name} answered ${path} in an unexpected shape (${what}); is it OpenAI-compatible?`);
  }

  #noLogits(): Error {
    return new Error(
      `${this.#name} returns the log-probabilities of a few tokens, not full logits, so diff amplification (which ` +
        "combines two models' logits at every step) cannot use a remote model.",
    );
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    text: string,
  ) {
    super(text);
  }
}

/** Whether the last entry is the end token: it adds no text, or the text is complete without it ("<|im_end|>"). */
function endsWithEndToken(entries: Entry[], text: string): boolean {
  const last = entries.at(-1);
  if (!last) return false;
  if (last.text === END_TEXT) return true;
  const before = entries.slice(0, -1).map((e) => e.text);
  return before.join('') === text && before.concat(last.text).join('') !== text;
}

function serverMessage(body: string): string {
  try {
    const o = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    const m =
      typeof o.error === 'object' && o.error ? o.error.message : (o.error ?? o.message ?? (o.detail as unknown));
    return typeof m === 'string' ? snippet(m) : '';
  } catch {
    return '';
  }
}

function seconds(ms: number): string {
  return ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000));
}

function snippet(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 200)}…` : t || '(empty)';
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
