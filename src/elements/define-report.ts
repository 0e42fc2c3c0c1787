// Registers <model-diff> and the parts its report is drawn with: all an embed needs (embed.html loads only this).
// Class files have no side effects; define.ts adds the page's own elements.

import { ForestPlot } from '../ui/forest-plot.ts';
import { AmplifyPanel } from '../ui/amplify-panel.ts';
import { BehaviourList } from '../ui/behaviour-list.ts';
import { HunkList } from '../ui/hunk-list.ts';
import { ProgressPanel } from '../ui/progress-panel.ts';
import { PromptTable } from '../ui/prompt-table.ts';
import { PromptView } from '../ui/prompt-view.ts';
import { ReportHeader } from '../ui/report-header.ts';
import { ResponseDiff } from '../ui/response-diff.ts';
import { TokenPanel } from '../ui/token-panel.ts';
import { TokenStrip } from '../ui/token-strip.ts';
import { WeightHeatmap } from '../ui/weight-heatmap.ts';
import { LensView } from '../ui/lens-view.ts';
import { CrosscoderView } from '../ui/crosscoder-view.ts';
import { ModelDiff } from './model-diff.ts';

export function defineAll(elements: [string, CustomElementConstructor][]): void {
  for (const [name, cls] of elements) if (!customElements.get(name)) customElements.define(name, cls);
}

defineAll([
  ['md-progress', ProgressPanel],
  ['md-report-header', ReportHeader],
  ['md-behaviour-list', BehaviourList],
  ['md-forest-plot', ForestPlot],
  ['md-hunk-list', HunkList],
  ['md-token-panel', TokenPanel],
  ['md-response-diff', ResponseDiff],
  ['md-prompt-table', PromptTable],
  ['md-prompt-view', PromptView],
  ['md-token-strip', TokenStrip],
  ['md-amplify', AmplifyPanel],
  ['md-weight-heatmap', WeightHeatmap],
  ['md-diff-lens', LensView],
  ['md-crosscoder', CrosscoderView],
  ['model-diff', ModelDiff],
]);
