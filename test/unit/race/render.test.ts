// The race view as pure functions: columns share the terminal width, text wraps inside its column,
// engine text is stripped of control characters, simulated engines say so.
import { describe, expect, it } from 'vitest';
import type { LaneView } from '../../../collector/race/lane.ts';
import { GAP, MIN_COLUMN, columnWidth, renderAnswerBlocks, renderRace, renderResultsTable } from '../../../collector/race/render.ts';
import { displayWidth } from '../../../collector/race/text.ts';

function lane(overrides: Partial<LaneView> = {}): LaneView {
  return {
    label: 'vllm',
    simulated: false,
    text: '',
    status: 'streaming',
    ttftMs: 12.34,
    tokensPerS: 45.67,
    outputTokens: 10,
    e2eMs: null,
    elapsedMs: 500,
    error: null,
    ...overrides,
  };
}

const LONG = 'Sunlight is scattered by the molecules of the air, and blue light, with its short wavelength, is scattered far more than red. '.repeat(6);
const lines = (frame: string): string[] => frame.split('\n');

describe('renderRace: columns', () => {
  it('gives each engine a column of an equal share of the width, separated by a rule', () => {
    const frame = renderRace([lane({ label: 'vllm', text: LONG }), lane({ label: 'ollama', text: LONG }), lane({ label: 'tgi', text: 'short' })], { width: 100, height: 40 });
    const column = columnWidth(100, 3);
    expect(column).toBe(31);
    for (const line of lines(frame)) {
      expect(displayWidth(line)).toBeLessThanOrEqual(100);
    }
    const header = lines(frame)[0]!;
    expect(header.split(GAP)).toHaveLength(3);
    expect(header.indexOf('ollama')).toBe(column + GAP.length);
    expect(header.indexOf('tgi')).toBe(2 * (column + GAP.length));
    expect(frame).toContain(`${'─'.repeat(column)}${GAP}${'─'.repeat(column)}${GAP}${'─'.repeat(column)}`);
  });

  it('wraps each answer inside its own column', () => {
    const frame = renderRace([lane({ text: LONG }), lane({ label: 'tgi', text: 'only a few words here' })], { width: 80, height: 50 });
    const column = columnWidth(80, 2);
    const body = lines(frame).slice(lines(frame).findIndex((l) => l.startsWith('─')) + 1);
    expect(body.length).toBeGreaterThan(5);
    for (const line of body) {
      // ASCII only here, so characters are cells.
      expect(line.slice(column, column + GAP.trimEnd().length)).toBe(GAP.trimEnd());
      expect(line.slice(column + GAP.length).length).toBeLessThanOrEqual(column);
    }
    // Words are not cut at a column edge.
    expect(body.map((l) => l.slice(0, column).trim()).join(' ')).toBe(LONG.trim());
    expect(body[0]!.slice(column + GAP.length)).toBe('only a few words here');
  });

  it('shows the live numbers, and SIMULATED on simulated engines only', () => {
    const frame = renderRace(
      [lane({ label: 'vllm', simulated: true }), lane({ label: 'real', simulated: false, status: 'waiting', ttftMs: null, tokensPerS: null, outputTokens: null, elapsedMs: 1234 })],
      { width: 90, height: 20 },
    );
    expect(frame).toContain('vllm SIMULATED');
    expect(frame).not.toContain('real SIMULATED');
    expect(frame).toContain('TTFT 12.3 ms · 45.7 tok/s');
    expect(frame).toContain('TTFT – ms · – tok/s');
    expect(frame).toContain('waiting 1.2 s');
  });

  it('keeps SIMULATED visible in a narrow column', () => {
    const frame = renderRace(
      [lane({ label: 'a-rather-long-engine-label', simulated: true }), lane({ label: 'b', simulated: true }), lane({ label: 'c', simulated: true })],
      { width: 3 * MIN_COLUMN + 2 * GAP.length, height: 20 },
    );
    expect(frame.match(/SIMULATED/g)).toHaveLength(3);
    for (const line of lines(frame)) expect(displayWidth(line)).toBeLessThanOrEqual(3 * MIN_COLUMN + 2 * GAP.length);
  });

  it('strips control characters and escape sequences from engine text and labels', () => {
    const frame = renderRace(
      [lane({ label: 'evil\u001b[2J', text: 'hello\u001b[31m red\u001b[0m\u0007 \u001b]0;title\u0007world\r\nnext\u0000line\u202e' })],
      { width: 60, height: 20 },
    );
    expect(frame).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(frame).toContain('hello red world');
    expect(frame).toContain('nextline');
  });

  it('fits the screen height, showing the newest text at the bottom', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const frame = renderRace([lane({ text }), lane({ label: 'tgi', text: 'short' })], { width: 80, height: 12 });
    expect(lines(frame)).toHaveLength(12);
    expect(lines(frame).at(-1)).toContain('line 99');
    expect(frame).not.toContain('line 0 ');
    expect(lines(frame)[0]).toContain('vllm');
  });

  it('shows every line when the height is unbounded (the final frame)', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const frame = renderRace([lane({ text, status: 'done', e2eMs: 1500 })], { width: 80, height: Infinity });
    expect(frame).toContain('line 0\n');
    expect(frame).toContain('line 99');
    expect(frame).toContain('done · 10 tok · E2E 1500 ms');
  });

  it('stacks the lanes when the terminal is too narrow for columns', () => {
    const frame = renderRace([lane({ label: 'vllm', simulated: true, text: 'first answer' }), lane({ label: 'tgi', text: 'second answer' }), lane({ label: 'ollama', text: 'third' })], { width: 40, height: 30 });
    expect(frame).not.toContain(GAP);
    expect(frame.indexOf('vllm SIMULATED')).toBeLessThan(frame.indexOf('first answer'));
    expect(frame.indexOf('first answer')).toBeLessThan(frame.indexOf('tgi'));
    for (const line of lines(frame)) expect(displayWidth(line)).toBeLessThanOrEqual(40);
  });

  it('names a failure in the lane header', () => {
    const frame = renderRace([lane({ status: 'failed', error: 'timeout_ttft: no token within 60000 ms of sending' })], { width: 120, height: 10 });
    expect(frame).toContain('FAILED timeout_ttft: no token within 60000 ms');
  });
});

describe('renderAnswerBlocks (no terminal)', () => {
  it('prints each whole answer under its engine and numbers, sanitized', () => {
    const text = renderAnswerBlocks([
      lane({ label: 'vllm', simulated: true, status: 'done', e2eMs: 250, text: 'Blue\u001b[1m light\u0007\nscatters.' }),
      lane({ label: 'tgi', status: 'failed', ttftMs: null, tokensPerS: null, outputTokens: null, error: 'http_error: HTTP 500: boom', text: '' }),
    ]);
    expect(text).toContain('== vllm SIMULATED ==\nTTFT 12.3 ms · E2E 250 ms · 10 output tokens · 45.7 tok/s\nBlue light\nscatters.\n');
    expect(text).toContain('== tgi ==\nTTFT – ms · E2E – ms · – output tokens · – tok/s\nFAILED http_error: HTTP 500: boom\n');
    expect(text).not.toContain('\u001b');
  });
});

describe('renderResultsTable', () => {
  it('has one row per engine and says why a failed one failed', () => {
    const text = renderResultsTable([
      lane({ label: 'vllm', simulated: true, status: 'done', e2eMs: 250 }),
      lane({ label: 'tgi', status: 'failed', error: 'stream_cut: the stream ended', ttftMs: null, tokensPerS: null, outputTokens: null }),
    ]);
    expect(text.split('\n')[0]).toMatch(/^engine\s+status\s+TTFT ms\s+E2E ms\s+output tokens\s+tok\/s$/);
    expect(text).toMatch(/vllm SIMULATED\s+done\s+12\.3\s+250\s+10\s+45\.7/);
    expect(text).toContain('tgi FAILED stream_cut: the stream ended');
  });
});
