// The standard normal quantile. simple-statistics' probit goes through an approximate inverse
// error function and gives 1.9572 for 0.975 (not 1.95996), which would move Wilson bounds in the
// third digit. This is Acklam's rational approximation (relative error below 1.2e-9).

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const LOW = 0.02425;

/** Horner's rule over coefficients from the highest power down. */
const poly = (coefficients: number[], x: number): number => coefficients.reduce((acc, c) => acc * x + c, 0);

/** z such that P(Z <= z) = p for a standard normal Z; p strictly between 0 and 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be strictly between 0 and 1, got ${p}`);
  if (p < LOW) {
    const r = Math.sqrt(-2 * Math.log(p));
    return poly(C, r) / (poly(D, r) * r + 1);
  }
  if (p > 1 - LOW) return -normalQuantile(1 - p);
  const r = (p - 0.5) ** 2;
  return ((p - 0.5) * poly(A, r)) / (poly(B, r) * r + 1);
}
