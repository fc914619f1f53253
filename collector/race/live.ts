// Drives the live race view on a terminal: redraws in place with log-update, at most every
// REDRAW_MS and only when something changed (or a waiting clock moved), so drawing never competes
// with the timestamping of the streams for long.
import { createLogUpdate } from 'log-update';
import type { Screen } from './render.ts';

export const REDRAW_MS = 50;
/** Redraw at least this often even without new text, so elapsed times keep moving. */
const HEARTBEAT_MS = 250;

export interface LiveView {
  /** Something changed: redraw at the next tick. */
  touch(): void;
  /** Stops redrawing and leaves the whole final frame (every line, not only the screenful) on the terminal. */
  stop(): void;
}

export function startLiveView(tty: NodeJS.WriteStream, frame: (screen: Screen) => string): LiveView {
  const live = createLogUpdate(tty);
  const width = (): number => tty.columns ?? 80;
  // One line fewer than the terminal: log-update keeps the cursor on a line of its own below the frame.
  const screen = (): Screen => ({ width: width(), height: Math.max(4, (tty.rows ?? 24) - 1) });
  let dirty = false;
  let sinceDraw = 0;
  live(frame(screen()));
  const timer = setInterval(() => {
    sinceDraw += REDRAW_MS;
    if (!dirty && sinceDraw < HEARTBEAT_MS) return;
    dirty = false;
    sinceDraw = 0;
    live(frame(screen()));
  }, REDRAW_MS);
  let stopped = false;
  return {
    touch: () => {
      dirty = true;
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      live.persist(`${frame({ width: width(), height: Infinity })}\n`);
      live.done();
    },
  };
}
