import { describe, expect, it } from 'vitest';
import { CONVERSATIONS, findConversation, nextTurnMessages } from '../../../collector/workloads/conversations.ts';

describe('conversation scenarios', () => {
  it('has the five named scenarios, each with a system message and exactly four user turns', () => {
    expect(CONVERSATIONS.map((c) => c.name)).toEqual(['debugging-session', 'trip-planning', 'contract-review', 'learning-sql', 'customer-escalation']);
    for (const scenario of CONVERSATIONS) {
      expect(scenario.turns).toHaveLength(4);
      expect(scenario.system.length).toBeGreaterThan(0);
      for (const turn of scenario.turns) expect(turn.trim().length).toBeGreaterThan(20);
    }
    expect(findConversation('learning-sql')?.name).toBe('learning-sql');
    expect(findConversation('nope')).toBeUndefined();
  });

  it('starts with the system message and the first user turn', () => {
    const scenario = findConversation('trip-planning')!;
    expect(nextTurnMessages(scenario, 0, [])).toEqual([
      { role: 'system', content: scenario.system },
      { role: 'user', content: scenario.turns[0] },
    ]);
  });

  it('carries the whole history, whatever the assistant said, then the new user turn', () => {
    const scenario = findConversation('debugging-session')!;
    const history = [
      { user: scenario.turns[0], assistant: 'Start with heap snapshots.' },
      { user: scenario.turns[1], assistant: '' },
      { user: scenario.turns[2], assistant: 'Add a TTL.' },
    ];
    const messages = nextTurnMessages(scenario, 3, history);
    expect(messages).toEqual([
      { role: 'system', content: scenario.system },
      { role: 'user', content: scenario.turns[0] },
      { role: 'assistant', content: 'Start with heap snapshots.' },
      { role: 'user', content: scenario.turns[1] },
      { role: 'assistant', content: '' },
      { role: 'user', content: scenario.turns[2] },
      { role: 'assistant', content: 'Add a TTL.' },
      { role: 'user', content: scenario.turns[3] },
    ]);
    // Pure: the history is not modified, and the same call gives the same answer.
    expect(history).toHaveLength(3);
    expect(nextTurnMessages(scenario, 3, history)).toEqual(messages);
  });

  it('grows by one exchange per turn when run turn by turn', () => {
    for (const scenario of CONVERSATIONS) {
      const history: { user: string; assistant: string }[] = [];
      for (let turn = 0; turn < 4; turn += 1) {
        const messages = nextTurnMessages(scenario, turn, history);
        expect(messages).toHaveLength(2 + 2 * turn);
        history.push({ user: messages.at(-1)!.content, assistant: `answer ${turn}` });
      }
    }
  });

  it('rejects a turn out of range or a history of the wrong length', () => {
    const scenario = CONVERSATIONS[0]!;
    expect(() => nextTurnMessages(scenario, 4, [])).toThrow(RangeError);
    expect(() => nextTurnMessages(scenario, -1, [])).toThrow(RangeError);
    expect(() => nextTurnMessages(scenario, 2, [{ user: 'a', assistant: 'b' }])).toThrow(RangeError);
  });
});
