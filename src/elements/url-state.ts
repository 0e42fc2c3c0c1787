// The page's state as a URL query (the automation and sharing contract): what the Share button gives, and what the
// address bar holds after Compare. readUrlState (model-diff-app.ts) reads it back to the same state.

import type { AppState } from './model-diff-app.ts';

/** The query that reopens `s`: a hosted report and its selected prompt, or the models, prompts and settings. */
export function stateToSearch(s: AppState): string {
  const q = new URLSearchParams();
  if (s.report) q.set('report', s.report);
  else if (s.models.length >= 3) {
    q.set('models', s.models.join(','));
    q.set('prompts', s.prompts);
  } else {
    q.set('a', s.a);
    q.set('b', s.b);
    q.set('prompts', s.prompts);
  }
  if (!s.report) {
    q.set('max_new_tokens', String(s.maxNewTokens));
    if (s.samples > 1) q.set('samples', String(s.samples));
    if (s.device !== 'auto') q.set('device', s.device);
    if (s.run) q.set('run', '1');
    if (!s.internals) q.set('internals', '0');
    if (s.lensLayer) q.set('lens_layer', s.lensLayer);
    if (s.lensTexts !== 'bundled') q.set('lens_texts', s.lensTexts);
    if (s.crosscoder) q.set('crosscoder', '1');
    if (s.crosscoder && s.crosscoderLayer) q.set('crosscoder_layer', s.crosscoderLayer);
  }
  if (s.prompt) q.set('prompt', s.prompt);
  return `?${q}`;
}

/** Why a state cannot be shared as a link (models or prompts read from this computer), or '' when it can. */
export function unshareable(s: AppState): string {
  if (s.report) return '';
  const local = [s.a, s.b, ...s.models].filter((m) => m.startsWith('local:'));
  if (local.length) return 'Models read from files on this computer cannot travel in a link; the link names them only.';
  if (s.prompts.startsWith('file:'))
    return 'A prompt file read from this computer cannot travel in a link: host it and give its URL as the prompt set.';
  return '';
}
