// The bundled text sets the internals read (public/texts/generic.json for chat models, stories.json for story
// models), fetched once per page and kept: a run asks for them when it starts (both are small, ≈ 40 kB each), so the
// lens and the crosscoder never wait on the network in the middle of a run, and a repeated run reuses them. A failed
// fetch is forgotten, so the next run tries again; its error names the file.

export type BundledTextsFile = 'generic' | 'stories';

export interface BundledTexts {
  name: string;
  documents: string[];
}

const kept = new Map<string, Promise<BundledTexts>>();

export function bundledTexts(file: BundledTextsFile, site: string): Promise<BundledTexts> {
  const url = new URL(`texts/${file}.json`, site).href;
  let texts = kept.get(url);
  if (!texts) {
    texts = fetch(url).then(async (res) => {
      if (!res.ok) throw new Error(`the bundled texts (texts/${file}.json) did not load: HTTP ${res.status}`);
      const body = (await res.json()) as Partial<BundledTexts>;
      if (typeof body.name !== 'string' || !Array.isArray(body.documents))
        throw new Error(`the bundled texts (texts/${file}.json) are not a { name, documents } set`);
      return { name: body.name, documents: body.documents.map(String) };
    });
    texts.catch(() => kept.delete(url));
    kept.set(url, texts);
  }
  return texts;
}

/** Starts fetching both sets (a run's first step); failures surface where the texts are used, not here. */
export function prefetchBundledTexts(site: string): void {
  for (const file of ['generic', 'stories'] as const) bundledTexts(file, site).catch(() => {});
}
