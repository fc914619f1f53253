// Decoding work deferred past the I/O poll phase, in short slices. libuv hands over every socket
// that became readable in one batch; if each chunk were parsed as it is stamped, the last socket's
// stamp would include the parse time of all the others. So chunks are stamped in the HTTP callback
// and parsed here, after the batch, and a drain yields back to the poll phase every SLICE_MS, so a
// chunk that arrives mid-drain is stamped within about a slice, not after the whole backlog.

const SLICE_MS = 0.2;
/** Run tasks dropped from the front of the queue at once, so it stays compact under a steady flow. */
const COMPACT_AT = 1024;
const queue: ((() => void) | undefined)[] = [];
let head = 0;
let scheduled = false;

function drain(): void {
  const start = performance.now();
  // Checking the clock every few tasks keeps its cost negligible against the parse work.
  while (head < queue.length) {
    const task = queue[head]!;
    // A run task (and the text it holds) must not stay reachable: under a steady flow the queue
    // never empties, and would otherwise keep every chunk ever received.
    queue[head++] = undefined;
    task();
    if ((head & 7) === 0 && performance.now() - start > SLICE_MS) break;
  }
  if (head < queue.length) {
    if (head >= COMPACT_AT) {
      queue.splice(0, head);
      head = 0;
    }
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
