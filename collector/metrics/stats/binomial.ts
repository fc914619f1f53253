// The binomial distribution around its mode. simple-statistics' binomialDistribution stops once
// the cells add up to 1 - 1e-4 and gives up past a million trials; the order-statistic intervals
// need tails far thinner than that, for phases of any size. So the cells are computed here: from
// the mode outwards by the ratio of neighbouring terms until a cell is negligible, then scaled to
// add up to one (exact to rounding, where a log-gamma term at the mode was off by 1e-9 at a
// million trials). Work grows with √n, not n.

/** Cells this far below the mode's are left out: their total is far below any level we test. */
const NEGLIGIBLE = 1e-20;

/** P(B = k) for k = from … from + pmf.length - 1, B ~ Binomial(n, p); every cell outside is negligible. */
export interface BinomialCells {
  from: number;
  pmf: Float64Array;
}

export function binomialCells(n: number, p: number): BinomialCells {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`trials must be a whole number >= 0, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be between 0 and 1, got ${p}`);
  if (p === 0) return { from: 0, pmf: Float64Array.of(1) };
  if (p === 1) return { from: n, pmf: Float64Array.of(1) };
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const odds = p / (1 - p);
  const up: number[] = [];
  // P(k + 1) / P(k) = (n - k) / (k + 1) · p / (1 - p)
  for (let k = mode, cell = 1; k < n;) {
    cell *= ((n - k) / (k + 1)) * odds;
    k += 1;
    if (cell < NEGLIGIBLE) break;
    up.push(cell);
  }
  const down: number[] = [];
  for (let k = mode, cell = 1; k > 0;) {
    cell *= (k / (n - k + 1)) / odds;
    k -= 1;
    if (cell < NEGLIGIBLE) break;
    down.push(cell);
  }
  let total = 1;
  for (const cell of up) total += cell;
  for (const cell of down) total += cell;
  const scale = 1 / total;
  const pmf = new Float64Array(down.length + 1 + up.length);
  down.reverse().forEach((cell, i) => { pmf[i] = cell * scale; });
  pmf[down.length] = scale;
  up.forEach((cell, i) => { pmf[down.length + 1 + i] = cell * scale; });
  return { from: mode - down.length, pmf };
}
