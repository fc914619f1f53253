// What a race looks like: side-by-side columns while it runs (or stacked blocks when the terminal
// is too narrow for them), and one answer block per engine for a log or a pipe. Pure functions of
// the lanes' views and the screen size; every engine string is sanitized here.
import { table } from '../text-table.ts';
import type { LaneView } from './lane.ts';
import { padTo, sanitize, sanitizeLine, truncate, wrap } from './text.ts';

export interface Screen {
  /** Terminal columns. */
  width: number;
  /** Lines the frame may take; Infinity shows every line (the final frame). */
  height: number;
}

/** Between two columns. */
export const GAP = ' │ ';
/** Narrower columns than this are unreadable: the lanes are stacked instead. */
export const MIN_COLUMN = 16;

export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  return ms < 100 ? ms.toFixed(1) : String(Math.round(ms));
}

export function formatRate(perS: number | null): string {
  return perS === null ? '–' : perS.toFixed(1);
}

function title(lane: LaneView): string {
  return `${sanitizeLine(lane.label)}${lane.simulated ? ' SIMULATED' : ''}`;
}

function stats(lane: LaneView): string {
  return `TTFT ${formatMs(lane.ttftMs)} ms · ${formatRate(lane.tokensPerS)} tok/s`;
}

function progress(lane: LaneView): string {
  const tokens = lane.outputTokens === null ? '' : `${lane.outputTokens} tok`;
  switch (lane.status) {
    case 'waiting':
      return `waiting ${(lane.elapsedMs / 1000).toFixed(1)} s`;
    case 'streaming':
      return `${tokens} · ${(lane.elapsedMs / 1000).toFixed(1)} s`;
    case 'done':
      return `done · ${tokens || '? tok'} · E2E ${formatMs(lane.e2eMs)} ms`;
    case 'failed':
      return `FAILED ${sanitizeLine(lane.error ?? '')}`;
  }
}

/** A lane's header lines at a column width: title (with SIMULATED), live numbers, progress. */
export function headerLines(lane: LaneView, width: number): string[] {
  return [...wrap(title(lane), width), ...wrap(stats(lane), width), truncate(progress(lane), width)];
}

/** The answer as lines of at most `width` cells, sanitized. */
export function bodyLines(lane: LaneView, width: number): string[] {
  return wrap(sanitize(lane.text), width);
}

/** The last `rows` lines: a column scrolls like a chat, newest text at the bottom. */
function tail(lines: string[], rows: number): string[] {
  return lines.length > rows ? lines.slice(lines.length - rows) : lines;
}

/** One frame of the live view, every line at most screen.width cells and at most screen.height lines. */
export function renderRace(lanes: LaneView[], screen: Screen): string {
  if (lanes.length === 0) return '';
  const width = Math.max(MIN_COLUMN, Math.floor(screen.width));
  const column = columnWidth(width, lanes.length);
  return (column >= MIN_COLUMN ? renderColumns(lanes, column, screen.height) : renderStacked(lanes, width, screen.height)).join('\n');
}

/** Each column's width when `count` columns share `width` cells. */
export function columnWidth(width: number, count: number): number {
  return Math.floor((width - GAP.length * (count - 1)) / count);
}

function renderColumns(lanes: LaneView[], column: number, height: number): string[] {
  const headers = lanes.map((lane) => headerLines(lane, column));
  const headerRows = Math.max(...headers.map((h) => h.length));
  const room = Math.max(1, height - headerRows - 1);
  const bodies = lanes.map((lane) => tail(bodyLines(lane, column), room));
  const bodyRows = Math.max(...bodies.map((b) => b.length));
  const rule = '─'.repeat(column);
  const rows: string[] = [];
  const row = (cells: string[]): void => void rows.push(cells.map((c) => padTo(c, column)).join(GAP).trimEnd());
  for (let i = 0; i < headerRows; i++) row(headers.map((h) => h[i] ?? ''));
  row(lanes.map(() => rule));
  for (let i = 0; i < bodyRows; i++) row(bodies.map((b) => b[i] ?? ''));
  return rows;
}

function renderStacked(lanes: LaneView[], width: number, height: number): string[] {
  const headers = lanes.map((lane) => headerLines(lane, width));
  const headerTotal = headers.reduce((n, h) => n + h.length + 1, 0);
  const room = Math.max(1, Math.floor((height - headerTotal) / lanes.length));
  const rows: string[] = [];
  lanes.forEach((lane, i) => {
    rows.push(...headers[i]!, '─'.repeat(width));
    rows.push(...tail(bodyLines(lane, width), room));
  });
  return rows;
}

/** For a log or a pipe: each engine's whole answer under its numbers, one block after another. */
export function renderAnswerBlocks(lanes: LaneView[]): string {
  return lanes
    .map((lane) => {
      const numbers =
        `TTFT ${formatMs(lane.ttftMs)} ms · E2E ${formatMs(lane.e2eMs)} ms · ` +
        `${lane.outputTokens ?? '–'} output tokens · ${formatRate(lane.tokensPerS)} tok/s`;
      const lines = [`== ${title(lane)} ==`, numbers];
      if (lane.status === 'failed') lines.push(`FAILED ${sanitizeLine(lane.error ?? '')}`);
      const text = sanitize(lane.text);
      if (text !== '') lines.push(text);
      return `${lines.join('\n')}\n`;
    })
    .join('\n');
}

/** One row per engine: the race's numbers side by side, then why each failed engine failed. */
export function renderResultsTable(lanes: LaneView[]): string {
  const rows = table(
    ['engine', 'status', 'TTFT ms', 'E2E ms', 'output tokens', 'tok/s'],
    lanes.map((lane) => [
      title(lane),
      lane.status,
      formatMs(lane.ttftMs),
      formatMs(lane.e2eMs),
      lane.outputTokens === null ? '–' : String(lane.outputTokens),
      formatRate(lane.tokensPerS),
    ]),
    [2, 3, 4, 5],
  );
  const failures = lanes.filter((l) => l.status === 'failed').map((l) => `${sanitizeLine(l.label)} FAILED ${sanitizeLine(l.error ?? '')}\n`);
  return rows + failures.join('');
}
