// Worker entry: one OpenAI-compatible engine per worker, exposed over Comlink. Token texts go to IndexedDB so the
// other model's worker, and later sessions reusing cached records, can read the texts behind the ids.

import { expose } from 'comlink';
import { createStore, getMany, setMany } from 'idb-keyval';
import { OpenAiEngine, type TokenTextStore } from './openai-engine.ts';

const db = createStore('model-diff-token-texts', 'texts');
const store: TokenTextStore = {
  get: (ids) => getMany<string>(ids, db),
  put: (entries) => setMany(entries, db),
};

expose(new OpenAiEngine({ store }));
