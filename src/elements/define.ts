// The one place that registers custom elements. Class files have no side effects.

import { ForestPlot } from '../ui/forest-plot.ts';
import { AmplifyPanel } from '../ui/amplify-panel.ts';
import { DistanceMatrix } from '../ui/distance-matrix.ts';
import { HunkList } from '../ui/hunk-list.ts';
import { ModelChooser } from '../ui/model-chooser.ts';
import { PlantedPanel } from '../ui/planted-panel.ts';
import { ProgressPanel } from '../ui/progress-panel.ts';
import { PromptTable } from '../ui/prompt-table.ts';
import { PromptView } from '../ui/prompt-view.ts';
import { ReportHeader } from '../ui/report-header.ts';
import { ResponseDiff } from '../ui/response-diff.ts';
import { StoragePanel } from '../ui/storage-panel.ts';
import { TokenPanel } from '../ui/token-panel.ts';
import { TokenStrip } from '../ui/token-strip.ts';
import { ModelDiff } from './model-diff.ts';
import { ModelDiffApp } from './model-diff-app.ts';
import { ModelDiffMatrix } from './model-diff-matrix.ts';

const elements: [string, CustomElementConstructor][] = [
  ['md-progress', ProgressPanel],
  ['md-report-header', ReportHeader],
  ['md-forest-plot', ForestPlot],
  ['md-hunk-list', HunkList],
  ['md-token-panel', TokenPanel],
  ['md-response-diff', ResponseDiff],
  ['md-prompt-table', PromptTable],
  ['md-prompt-view', PromptView],
  ['md-token-strip', TokenStrip],
  ['md-storage', StoragePanel],
  ['md-amplify', AmplifyPanel],
  ['md-model-chooser', ModelChooser],
  ['md-planted', PlantedPanel],
  ['md-distance-matrix', DistanceMatrix],
  ['model-diff', ModelDiff],
  ['model-diff-matrix', ModelDiffMatrix],
  ['model-diff-app', ModelDiffApp],
];

for (const [name, cls] of elements) if (!customElements.get(name)) customElements.define(name, cls);
