// `npm run diff -- --a <model> --b <model> --prompts <set> --out report.json`: the page's profile and diff from Node,
// for models behind OpenAI-compatible servers (too large for a browser) and local ONNX folders. Writes the same
// report JSON the page exports (open it there with "Open report", or ?report=<URL>).
//
// <model>: openai:<server URL>,<model> | a forged model name (forged-base…) | a local Hugging Face-layout folder.
// <set>:   a bundled set id (smoke, core, stories, forged-demo) or a JSON / JSONL / CSV file.
// Options: --max-new-tokens 48, --temperature 0, --seed 1, --timeout <seconds per request, default 600>,
//          --api-key-a / --api-key-b (or OPENAI_API_KEY for both; never written to the report).

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { diff } from '../src/core/diff/build-report.ts';
import { modelLabel, parseModelSpec } from '../src/core/model-spec.ts';
import { parsePromptSet, type PromptSet } from '../src/core/prompts/index.ts';
import { loadFolder } from '../src/node/profile-forged.ts';
import { profilePair, type EngineLike } from '../src/services/profiler.ts';
import { OpenAiEngine } from '../workers/openai-engine.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    prompts: { type: 'string' },
    out: { type: 'string', default: 'report.json' },
    'max-new-tokens': { type: 'string', default: '48' },
    temperature: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '600' },
    'api-key-a': { type: 'string' },
    'api-key-b': { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(`diff: ${message}`);
  process.exit(2);
}

if (!args.a || !args.b || !args.prompts) fail('give --a <model> --b <model> --prompts <set> [--out report.json].');
const settings = {
  maxNewTokens: Number(args['max-new-tokens']),
  temperature: Number(args.temperature),
  seed: Number(args.seed),
  topK: 10,
};
if (!Number.isInteger(settings.maxNewTokens) || settings.maxNewTokens < 1) fail('--max-new-tokens must be ≥ 1.');

const remotes: OpenAiEngine[] = [];

async function open(spec: string, key: string | undefined): Promise<EngineLike & { dispose(): Promise<void> }> {
  if (spec.startsWith('openai:')) {
    const source = parseModelSpec(spec, 'http://localhost/');
    const engine = new OpenAiEngine({ timeoutMs: Number(args.timeout) * 1000 });
    remotes.push(engine);
    const apiKey = key ?? process.env['OPENAI_API_KEY'];
    const info = await engine.load({ ...source, ...(apiKey ? { apiKey } : {}) });
    return { engine, info, dispose: () => engine.dispose() };
  }
  const forged = join(root, 'public', 'forged', spec.replace(/^forged:/, ''));
  const dir = /^(forged:)?forged-[a-z0-9-]+$/.test(spec) ? forged : resolve(spec);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    fail(
      `"${spec}" is neither openai:<server URL>,<model>, a forged model name (run npm run forge first) nor a local ` +
        'model folder. From Node, other model kinds (hf:, webllm:, URLs) are not available: use the page.',
    );
  }
  const handle = await loadFolder(dir, modelLabel(spec));
  return { ...handle, dispose: () => handle.engine.dispose() };
}

function promptSet(spec: string): PromptSet {
  const bundled = join(root, 'public', 'prompts', `${spec}.json`);
  const file = existsSync(bundled) ? bundled : resolve(spec);
  if (!existsSync(file))
    fail(`no prompt set "${spec}": give a bundled id (smoke, core, stories, forged-demo) or a file.`);
  return parsePromptSet(readFileSync(file, 'utf8'), { filename: file }).set;
}

const set = promptSet(args.prompts);
const abort = new AbortController();
process.once('SIGINT', () => {
  console.error('\ndiff: stopping…');
  abort.abort(new Error('Stopped (Ctrl-C). Nothing was written.'));
  remotes.forEach((r) => r.cancel());
});

try {
  const [a, b] = await Promise.all([open(args.a, args['api-key-a']), open(args.b, args['api-key-b'])]);
  const started = performance.now();
  const pair = await profilePair(
    { handle: a, spec: args.a, label: modelLabel(args.a) },
    { handle: b, spec: args.b, label: modelLabel(args.b) },
    set,
    {
      settings,
      signal: abort.signal,
      onWarning: (w) => console.error(`warning: ${w}`),
      onProgress: (p) => process.stderr.write(`\r${p.done}/${p.total} prompts, ${p.tokensPerSecond.toFixed(0)} tok/s`),
    },
  );
  process.stderr.write('\n');
  await Promise.all([a.dispose(), b.dispose()]);
  const report = diff(pair, set);
  writeFileSync(args.out!, JSON.stringify(report));
  const significant = report.differences.filter((d) => d.significant);
  console.log(
    `${set.prompts.length} prompts in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      `${significant.length} significant differences; report written to ${args.out}`,
  );
  for (const d of significant.slice(0, 12)) console.log(`  ${d.sentence}`);
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
