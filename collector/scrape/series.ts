// A gauge series whose memory stays bounded however long the phase runs.

export interface CappedSeries {
  add(atMs: number, value: number): void;
  points(): [number, number][];
}

/**
 * Keeps every point until there are more than maxPoints, then drops every other one and from then
 * on keeps only every other new point too, so the points stay evenly spaced at a doubled step.
 */
export function createCappedSeries(maxPoints = 2000): CappedSeries {
  let points: [number, number][] = [];
  let stride = 1;
  let offered = 0;
  return {
    add(atMs, value) {
      const index = offered;
      offered += 1;
      if (index % stride !== 0) return;
      points.push([atMs, value]);
      if (points.length > maxPoints) {
        points = points.filter((_, i) => i % 2 === 0);
        stride *= 2;
      }
    },
    points: () => points.slice(),
  };
}
