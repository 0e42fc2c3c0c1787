// Worker entry: one OpenAI-compatible engine per worker, exposed over Comlink. Token texts go to IndexedDB so the
// other model's worker, and later sessions reusing cached records, can read the texts behind the ids. The lifeline lets the page notice if
// this worker ends (lifeline.ts).

import { expose } from 'comlink';
import { createStore, getMany, setMany } from 'idb-keyval';
import { holdLifeline } from './lifeline.ts';
import { OpenAiEngine, type TokenTextStore } from './openai-engine.ts';

holdLifeline();
const db = createStore('model-diff-token-texts', 'texts');
const store: TokenTextStore = {
  get: (ids) => getMany<string>(ids, db),
  put: (entries) => setMany(entries, db),
};

expose(new OpenAiEngine({ store }));
