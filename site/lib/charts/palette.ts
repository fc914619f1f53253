// Fixed, colour-blind-safe categorical colours (Okabe & Ito, 2008), ordered so the first few are
// the most distinct on white; engines take them in the run's engine order, so an engine keeps its
// colour on every chart of a run.

export const ENGINE_PALETTE: readonly string[] = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

/** Error kinds: the same palette from the warm end, so a failure chart does not read as engines. */
export const ERROR_PALETTE: readonly string[] = ['#D55E00', '#E69F00', '#CC79A7', '#0072B2', '#009E73', '#56B4E9', '#000000', '#F0E442'];

/** One colour per domain value, cycling when there are more values than colours. */
export function colours(palette: readonly string[], count: number): string[] {
  return Array.from({ length: count }, (_, i) => palette[i % palette.length]!);
}
