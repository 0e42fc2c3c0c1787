// Distribution functions the paired tests need (normal, binomial, chi-square(1)); pure math, no state.
/* eslint-disable no-loss-of-precision -- published coefficients are quoted digit for digit; the nearest double is what runs. */

/*
 * Normal CDF after Cody (1993), ACM TOMS Algorithm 715 (ANORM), the near-minimax rational approximations
 * R's pnorm uses. Relative error is near machine precision in both tails, which the p-values of strong
 * effects (1e-10 and below) need: 1 - Φ(x) computed by subtraction would lose every digit there.
 */
const A = [
  2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113,
];
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
];
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const P = [
  0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5,
  0.02307344176494017303,
];
const Q = [
  1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5,
];
const INV_SQRT_2PI = 0.398942280401432677939946059934;
const SQRT_32 = 5.656854249492380195206754896838;

/** Upper tail Φ(-|x|) for |x| > 0.66291, i.e. the smaller of the two tails. */
function smallTail(y: number): number {
  let r: number;
  if (y <= SQRT_32) {
    let num = C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    r = (num + C[7]!) / (den + D[7]!);
  } else {
    const xsq = 1 / (y * y);
    let num = P[5]! * xsq;
    let den = xsq;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]!) * xsq;
      den = (den + Q[i]!) * xsq;
    }
    r = (INV_SQRT_2PI - (xsq * (num + P[4]!)) / (den + Q[4]!)) / y;
  }
  // exp(-y²/2) split as exp(-s²/2)·exp(-(y-s)(y+s)/2) with s = y rounded down to 1/16: avoids the
  // cancellation error of forming y² for large y (Cody's trick).
  const s = Math.floor(y * 16) / 16;
  const del = (y - s) * (y + s);
  return Math.exp(-s * s * 0.5) * Math.exp(-del * 0.5) * r;
}

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.66291) {
    const xsq = y > Number.EPSILON / 2 ? x * x : 0;
    let num = A[4]! * xsq;
    let den = xsq;
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]!) * xsq;
      den = (den + B[i]!) * xsq;
    }
    return 0.5 + (x * (num + A[3]!)) / (den + B[3]!);
  }
  if (y >= 50) return x > 0 ? 1 : 0;
  const tail = smallTail(y);
  return x > 0 ? 1 - tail : tail;
}

/** Standard normal survival 1 - Φ(x), computed without cancellation. */
export function normalSf(x: number): number {
  return normalCdf(-x);
}

/*
 * Normal quantile: Acklam's rational approximation (relative error < 1.15e-9), then one Halley step on the
 * accurate CDF above, which brings it to full double precision.
 */
const QA = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const QB = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const QC = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const QD = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Standard normal quantile Φ⁻¹(p), p in [0, 1]. */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let x: number;
  if (p < 0.02425 || p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p < 0.5 ? p : 1 - p));
    x =
      (((((QC[0]! * q + QC[1]!) * q + QC[2]!) * q + QC[3]!) * q + QC[4]!) * q + QC[5]!) /
      ((((QD[0]! * q + QD[1]!) * q + QD[2]!) * q + QD[3]!) * q + 1);
    if (p > 0.5) x = -x;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((QA[0]! * r + QA[1]!) * r + QA[2]!) * r + QA[3]!) * r + QA[4]!) * r + QA[5]!) * q) /
      (((((QB[0]! * r + QB[1]!) * r + QB[2]!) * r + QB[3]!) * r + QB[4]!) * r + 1);
  }
  // Halley step; the error e is taken in the smaller tail so it keeps its relative precision.
  const e = p < 0.5 ? normalCdf(x) - p : 1 - p - normalSf(x);
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Upper tail of the chi-square distribution with 1 degree of freedom: P(X > x) = 2·(1 - Φ(√x)). */
export function chiSquare1Sf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return 2 * normalSf(Math.sqrt(x));
}

/*
 * log Γ(x) for x > 0 by the Lanczos approximation (g = 7, 9 terms; relative error ~1e-15), used for
 * binomial coefficients too large to form directly.
 */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Binomial probability mass P(X = k), X ~ Bin(n, p). */
export function binomialPmf(k: number, n: number, p: number): number {
  if (!Number.isInteger(k) || k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  const logChoose = logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
  return Math.exp(logChoose + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

function checkBinomial(n: number, p: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`binomial n must be a non-negative integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial p must be in [0, 1], got ${p}`);
}

/** Lower tail P(X ≤ k), X ~ Bin(n, p); sums the tail itself so small tails keep their precision. */
export function binomialCdf(k: number, n: number, p: number): number {
  checkBinomial(n, p);
  const top = Math.floor(k);
  if (top < 0) return 0;
  if (top >= n) return 1;
  let sum = 0;
  for (let i = 0; i <= top; i++) sum += binomialPmf(i, n, p);
  return Math.min(1, sum);
}

/** Upper tail P(X > k), X ~ Bin(n, p); summed directly rather than as 1 - cdf. */
export function binomialSf(k: number, n: number, p: number): number {
  checkBinomial(n, p);
  const bottom = Math.floor(k) + 1;
  if (bottom <= 0) return 1;
  if (bottom > n) return 0;
  let sum = 0;
  for (let i = bottom; i <= n; i++) sum += binomialPmf(i, n, p);
  return Math.min(1, sum);
}
