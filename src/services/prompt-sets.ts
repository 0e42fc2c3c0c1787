// Prompt sets for a run: a bundled set by id (served with the site under prompts/) or any URL the user gives.

import { parsePromptSet, type PromptSet, type PromptSetIndexEntry } from '../core/prompts/index.ts';

export async function bundledIndex(siteBase: string): Promise<PromptSetIndexEntry[]> {
  const res = await fetch(new URL('prompts/index.json', siteBase));
  if (!res.ok) throw new Error(`Could not read the list of bundled prompt sets (HTTP ${res.status}).`);
  return (await res.json()) as PromptSetIndexEntry[];
}

/** `spec` is a bundled set id ("smoke", "core", …) or an http(s) URL of a JSON, JSONL or CSV prompt set. */
export async function loadPromptSet(spec: string, siteBase: string): Promise<PromptSet> {
  const s = spec.trim();
  let url: URL;
  if (/^https?:\/\//.test(s)) {
    url = new URL(s);
  } else {
    const index = await bundledIndex(siteBase);
    const entry = index.find((e) => e.id === s);
    if (!entry) {
      throw new Error(
        `There is no bundled prompt set "${s}". Bundled sets: ${index.map((e) => e.id).join(', ')}; or give an http(s) URL.`,
      );
    }
    url = new URL(`prompts/${entry.file}`, siteBase);
  }
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(
      `Could not download the prompt set at ${url.href}: ${(e as Error).message}. Check the URL and that the server allows cross-origin requests (CORS).`,
    );
  }
  if (!res.ok)
    throw new Error(`Could not download the prompt set at ${url.href}: HTTP ${res.status} ${res.statusText}.`);
  const filename = url.pathname.split('/').pop() ?? 'prompts.json';
  return parsePromptSet(await res.text(), { filename }).set;
}
