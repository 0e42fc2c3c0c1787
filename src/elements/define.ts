// The page's elements: <model-diff> with its report parts (define-report.ts), plus the model chooser, storage view,
// planted-difference panel, N-way matrix and the page itself. Class files have no side effects.

import { DistanceMatrix } from '../ui/distance-matrix.ts';
import { ModelChooser } from '../ui/model-chooser.ts';
import { PlantedPanel } from '../ui/planted-panel.ts';
import { StoragePanel } from '../ui/storage-panel.ts';
import { defineAll } from './define-report.ts';
import { ModelDiffApp } from './model-diff-app.ts';
import { ModelDiffMatrix } from './model-diff-matrix.ts';

defineAll([
  ['md-storage', StoragePanel],
  ['md-model-chooser', ModelChooser],
  ['md-planted', PlantedPanel],
  ['md-distance-matrix', DistanceMatrix],
  ['model-diff-matrix', ModelDiffMatrix],
  ['model-diff-app', ModelDiffApp],
]);
