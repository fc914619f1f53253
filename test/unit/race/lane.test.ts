// A lane's live numbers follow the run's definitions, and the recorded numbers replace them.
import { describe, expect, it } from 'vitest';
import { laneEvent, laneFinished, laneSent, laneView, newLane } from '../../../collector/race/lane.ts';
import type { RequestRecord } from '../../../collector/store/schema/index.ts';

describe('race lanes', () => {
  it('waits, then shows TTFT from the send to the first text and the decode rate', () => {
    const lane = newLane('vllm', true, 1000);
    laneSent(lane, 100);
    expect(laneView(lane, 150)).toMatchObject({ status: 'waiting', ttftMs: null, tokensPerS: null, outputTokens: null, elapsedMs: 50 });
    laneEvent(lane, { kind: 'role' }, 110);
    laneEvent(lane, { kind: 'content', text: 'Blue' }, 130);
    laneEvent(lane, { kind: 'content', text: ' light' }, 140);
    laneEvent(lane, { kind: 'content', text: ' scatters' }, 150);
    expect(laneView(lane, 160)).toMatchObject({ status: 'streaming', text: 'Blue light scatters', ttftMs: 30, outputTokens: 3, tokensPerS: 100, simulated: true });
  });

  it('counts the tokens the wire states when it states them', () => {
    const lane = newLane('tgi', false, 1000);
    laneSent(lane, 0);
    laneEvent(lane, { kind: 'content', text: 'a', tokens: 1 }, 10);
    laneEvent(lane, { kind: 'content', text: 'b', tokens: 1 }, 20);
    expect(laneView(lane, 20).outputTokens).toBe(2);
  });

  it('keeps at most textLimit characters', () => {
    const lane = newLane('vllm', false, 5);
    laneEvent(lane, { kind: 'content', text: 'abc' }, 1);
    laneEvent(lane, { kind: 'content', text: 'defgh' }, 2);
    expect(lane.text).toBe('abcde');
  });

  it('takes the recorded numbers once the request is recorded', () => {
    const lane = newLane('vllm', false, 1000);
    laneSent(lane, 0);
    laneEvent(lane, { kind: 'content', text: 'x' }, 5);
    const record: RequestRecord = {
      seq: 0, engine: 'vllm', phase: 'race', warmup: false, promptId: 'prompt-1', scheduledMs: 0, sentMs: 0,
      headersMs: 2, endMs: 50, httpStatus: 200, status: 'ok', error: null, finishReason: 'stop', stoppedEarly: true,
      inputTokens: 5, outputTokens: 3,
      outputTokensSource: 'usage',
      events: [[10, 'content', null, 1], [20, 'content', null, 1], [30, 'content', null, 1], [50, 'done', null, 0]],
      native: null, text: 'xyz', textTruncated: false,
    };
    laneFinished(lane, record);
    expect(laneView(lane, 1000)).toMatchObject({ status: 'done', text: 'xyz', ttftMs: 10, e2eMs: 50, outputTokens: 3, tokensPerS: 100, error: null });
    laneFinished(lane, { ...record, status: 'error', error: { kind: 'stream_cut', message: 'cut', classification: null, httpStatus: 200 } });
    expect(laneView(lane, 1000)).toMatchObject({ status: 'failed', error: 'stream_cut: cut' });
  });
});
