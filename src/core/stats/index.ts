// Public API of the pure statistics layer: paired tests, estimators, effect sizes, intervals, FDR, power.

export { mcnemar, mcnemarFromCounts } from './mcnemar.ts';
export type { McNemarOptions, McNemarResult } from './mcnemar.ts';
export { wilcoxonSignedRank, signedRankPmf } from './wilcoxon.ts';
export type { WilcoxonOptions, WilcoxonResult } from './wilcoxon.ts';
export { hodgesLehmann } from './hodges-lehmann.ts';
export { cohensH, cohensDz, classifyEffect } from './effect-size.ts';
export type { EffectKind, EffectMagnitude } from './effect-size.ts';
export { pairedBootstrap } from './bootstrap.ts';
export { pairedBootstrapMany } from './bootstrap-many.ts';
export { uniformStream } from './uniform-stream.ts';
export type { UniformStream } from './uniform-stream.ts';
export { rankBiserialInterval } from './rank-biserial-interval.ts';
export type { PairedStatistic, PairedBootstrapOptions, BootstrapInterval } from './bootstrap.ts';
export { benjaminiHochberg } from './multiple-comparisons.ts';
export { mdePairedBinary, mdePairedContinuous } from './power.ts';
export type { PowerOptions } from './power.ts';
export { quantileSorted } from './quantile.ts';
export {
  normalCdf,
  normalSf,
  normalQuantile,
  chiSquare1Sf,
  logGamma,
  binomialPmf,
  binomialCdf,
  binomialSf,
} from './distributions.ts';
export { mannWhitneyGreater } from './mann-whitney.ts';
export type { MannWhitneyResult } from './mann-whitney.ts';
export { signFlipTest } from './sign-flip.ts';
export type { SignFlipOptions } from './sign-flip.ts';
