// Decoding work deferred past the I/O poll phase, in short slices. libuv hands over every socket
// that became readable in one batch; if each chunk were parsed as it is stamped, the last socket's
// stamp would include the parse time of all the others. So chunks are stamped in the HTTP callback
// and parsed here, after the batch, and a drain yields back to the poll phase every SLICE_MS, so a
// chunk that arrives mid-drain is stamped within about a slice, not after the whole backlog.

const SLICE_MS = 0.2;
const queue: (() => void)[] = [];
let head = 0;
let scheduled = false;

function drain(): void {
  const start = performance.now();
  // Checking the clock every few tasks keeps its cost negligible against the parse work.
  while (head < queue.length) {
    queue[head++]!();
    if ((head & 7) === 0 && performance.now() - start > SLICE_MS) break;
  }
  if (head < queue.length) {
    setImmediate(drain);
    return;
  }
  queue.length = 0;
  head = 0;
  scheduled = false;
}

/** Runs `task` after the current I/O batch, in FIFO order with every other deferred task. */
export function afterIoBatch(task: () => void): void {
  queue.push(task);
  if (!scheduled) {
    scheduled = true;
    setImmediate(drain);
  }
}
