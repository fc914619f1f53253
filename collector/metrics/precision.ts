// The precision every number in a run is stored with: three decimals, a microsecond on a value in
// milliseconds. Finer than any clock the collector reads is worth, and it keeps run files small.
export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
