// Multi-turn conversations as a closed loop: each user takes the next conversation and sends its
// turns in order, each turn carrying the real history (the engine's own earlier answers). Every
// turn is one measured request; a failed turn ends that conversation.
import type { ChatMessage } from '../engines/engine.ts';
import type { PhaseOutcome, PhasePlan } from '../load/types.ts';
import { nextTurnMessages, type ConversationScenario, type ConversationTurn } from '../workloads/conversations.ts';

export interface TurnSender {
  now(): number;
  signal: AbortSignal;
  /** Sends one turn; resolves with the answer text, or null when the request failed. */
  sendTurn(seq: number, scheduledAt: number, warmup: boolean, promptId: string, messages: ChatMessage[]): Promise<string | null>;
}

/** Users holding a conversation at once: a closed loop's concurrency, else one. */
export function conversationUsers(plan: PhasePlan): number {
  return plan.load.shape === 'closed-loop' ? plan.load.concurrency : 1;
}

export async function runConversations(plan: PhasePlan, conversations: readonly ConversationScenario[], sender: TurnSender): Promise<PhaseOutcome> {
  const users = conversationUsers(plan);
  const { requests, durationS } = plan.bounds;
  const deadline = durationS === undefined ? Infinity : sender.now() + durationS * 1000;
  const warmupRequests = plan.warmup?.requests ?? 0;
  const warmupUntil = plan.warmup?.seconds === undefined ? -Infinity : sender.now() + plan.warmup.seconds * 1000;
  let sent = 0;
  let started = 0;
  const more = (): boolean => !sender.signal.aborted && sender.now() < deadline && (requests === undefined || sent < requests);
  const user = async (): Promise<void> => {
    while (more()) {
      const instance = started++;
      const scenario = conversations[instance % conversations.length]!;
      const history: ConversationTurn[] = [];
      for (let turn = 0; turn < scenario.turns.length && more(); turn++) {
        const seq = sent++;
        const at = sender.now();
        const answer = await sender.sendTurn(
          seq,
          at,
          seq < warmupRequests || at < warmupUntil,
          `conversation:${scenario.name}#${instance}:turn-${turn + 1}`,
          nextTurnMessages(scenario, turn, history),
        );
        if (answer === null) break;
        history.push({ user: scenario.turns[turn]!, assistant: answer });
      }
    }
  };
  await Promise.all(Array.from({ length: users }, user));
  return { sent, dropped: 0 };
}
