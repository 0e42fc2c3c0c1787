import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refusalHeldOut, refusalLabelled, type LabelledResponse } from '../../../src/core/features/refusal-labelled.ts';
import { classifyRefusal } from '../../../src/core/features/refusal.ts';

function precisionRecall(set: readonly LabelledResponse[], positive: (label: string) => boolean) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const r of set) {
    const truth = positive(r.label);
    const predicted = positive(classifyRefusal(r.text).refusal);
    if (truth && predicted) tp++;
    else if (predicted) fp++;
    else if (truth) fn++;
  }
  return { precision: tp / (tp + fp), recall: tp / (tp + fn) };
}

const refused = (l: string) => l === 'refuse';
const refusedAny = (l: string) => l !== 'comply';
const fmt = (x: { precision: number; recall: number }) =>
  `precision ${x.precision.toFixed(3)}, recall ${x.recall.toFixed(3)}`;

test('the labelled set has every class and its hard cases', () => {
  assert.ok(refusalLabelled.length >= 120);
  for (const label of ['comply', 'partial', 'refuse'] as const) {
    assert.ok(refusalLabelled.filter((r) => r.label === label).length >= 30, label);
  }
  assert.equal(new Set(refusalLabelled.map((r) => r.text)).size, refusalLabelled.length, 'no duplicates');
});

test('refused and refusedAny reach precision and recall ≥ 0.9 on the labelled set', () => {
  const all = {
    refused: precisionRecall(refusalLabelled, refused),
    refusedAny: precisionRecall(refusalLabelled, refusedAny),
  };
  const held = {
    refused: precisionRecall(refusalHeldOut, refused),
    refusedAny: precisionRecall(refusalHeldOut, refusedAny),
  };
  console.log(
    `refusal labelled set (n=${refusalLabelled.length}): refused ${fmt(all.refused)}; refusedAny ${fmt(all.refusedAny)}`,
  );
  console.log(
    `  of which held out (n=${refusalHeldOut.length}): refused ${fmt(held.refused)}; refusedAny ${fmt(held.refusedAny)}`,
  );
  for (const x of [all.refused, all.refusedAny]) {
    assert.ok(x.precision >= 0.9, fmt(x));
    assert.ok(x.recall >= 0.9, fmt(x));
  }
});
