// What the engines answered: a sample of single prompts with every engine's answer side by
// side, and each multi-turn conversation turn by turn. Answers are untrusted engine output:
// they are returned as plain strings and only ever rendered as escaped text.
import { requestMetrics } from '../../../collector/metrics/request-metrics.ts';
import type { RequestRecord, Run } from '../../../collector/store/schema/index.ts';
import { CONVERSATIONS } from '../../../collector/workloads/conversations.ts';

export const SAMPLE_PROMPTS = 20;
export const MAX_CONVERSATIONS = 20;

export interface Message {
  role: string;
  content: string;
}

export interface Answer {
  engine: string;
  simulated: boolean;
  /** Null when the engine never got this prompt. */
  record: {
    phase: string;
    seq: number;
    status: 'ok' | 'error';
    text: string;
    textTruncated: boolean;
    errorKind: string | null;
    errorMessage: string | null;
    ttftMs: number | null;
    e2eMs: number | null;
    tokensPerS: number | null;
    outputTokens: number | null;
    finishReason: string | null;
  } | null;
}

export interface PromptSample {
  promptId: string;
  /** The prompt's messages when the scenario records them (built-in and file prompts). */
  messages: Message[] | null;
  answers: Answer[];
}

function isRecordObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The scenario's prompt texts by id, when it lists them. */
export function promptTexts(run: Run): Map<string, Message[]> {
  const out = new Map<string, Message[]>();
  const prompts = run.scenario['prompts'];
  const items = isRecordObject(prompts) ? prompts['items'] : undefined;
  if (!Array.isArray(items)) return out;
  for (const item of items) {
    if (!isRecordObject(item) || typeof item['id'] !== 'string' || !Array.isArray(item['messages'])) continue;
    const messages = item['messages']
      .filter(isRecordObject)
      .map((m) => ({ role: String(m['role'] ?? ''), content: typeof m['content'] === 'string' ? m['content'] : JSON.stringify(m['content']) }));
    if (!out.has(item['id'])) out.set(item['id'], messages);
  }
  return out;
}

function answerOf(record: RequestRecord): NonNullable<Answer['record']> {
  const metrics = requestMetrics(record);
  return {
    phase: record.phase,
    seq: record.seq,
    status: record.status,
    text: record.text,
    textTruncated: record.textTruncated,
    errorKind: record.error?.kind ?? null,
    errorMessage: record.error?.message ?? null,
    ttftMs: metrics.ttftMs,
    e2eMs: metrics.e2eMs,
    tokensPerS: metrics.outputTokensPerS,
    outputTokens: record.outputTokens,
    finishReason: record.finishReason,
  };
}

/** The record to show for an engine: its first measured success, else its first attempt. */
function pick(records: readonly RequestRecord[]): RequestRecord | undefined {
  return (
    records.find((r) => r.status === 'ok' && !r.warmup) ?? records.find((r) => r.status === 'ok') ?? records.find((r) => !r.warmup) ?? records[0]
  );
}

const CONVERSATION_ID = /^conversation:(.+)#(\d+):turn-(\d+)$/;

export function isConversationPrompt(promptId: string): boolean {
  return CONVERSATION_ID.test(promptId);
}

/** Up to `limit` single prompts, in the order they were first sent, each with every engine's answer. */
export function samplePrompts(run: Run, records: readonly RequestRecord[], limit = SAMPLE_PROMPTS): PromptSample[] {
  const order: string[] = [];
  const byPrompt = new Map<string, Map<string, RequestRecord[]>>();
  for (const record of records) {
    if (isConversationPrompt(record.promptId)) continue;
    let byEngine = byPrompt.get(record.promptId);
    if (byEngine === undefined) {
      if (order.length >= limit) continue;
      order.push(record.promptId);
      byEngine = new Map();
      byPrompt.set(record.promptId, byEngine);
    }
    byEngine.set(record.engine, [...(byEngine.get(record.engine) ?? []), record]);
  }
  const texts = promptTexts(run);
  return order.map((promptId) => {
    const byEngine = byPrompt.get(promptId)!;
    return {
      promptId,
      messages: texts.get(promptId) ?? null,
      answers: run.engines.map((engine) => {
        const chosen = pick(byEngine.get(engine.label) ?? []);
        return { engine: engine.label, simulated: engine.simulated, record: chosen === undefined ? null : answerOf(chosen) };
      }),
    };
  });
}

export interface ConversationTurnRow {
  turn: number;
  /** The user's message for this turn, when the conversation is a built-in one. */
  user: string | null;
  answers: Answer[];
}

export interface Conversation {
  /** `<phase> · <name>#<n>`. */
  key: string;
  phase: string;
  name: string;
  instance: number;
  description: string | null;
  system: string | null;
  turns: ConversationTurnRow[];
}

/**
 * Each conversation (a phase's n-th run of a named conversation) with every engine's answer per
 * turn. Engines run the same conversations in the same order, so instance n lines up across them.
 */
export function conversations(run: Run, records: readonly RequestRecord[], limit = MAX_CONVERSATIONS): { shown: Conversation[]; total: number } {
  const groups = new Map<string, { phase: string; name: string; instance: number; turns: Map<number, Map<string, RequestRecord[]>> }>();
  for (const record of records) {
    const match = CONVERSATION_ID.exec(record.promptId);
    if (match === null) continue;
    const [, name, instanceText, turnText] = match;
    const key = `${record.phase} · ${name}#${instanceText}`;
    const group = groups.get(key) ?? { phase: record.phase, name: name!, instance: Number(instanceText), turns: new Map() };
    groups.set(key, group);
    const turn = Number(turnText);
    const byEngine = group.turns.get(turn) ?? new Map<string, RequestRecord[]>();
    group.turns.set(turn, byEngine);
    byEngine.set(record.engine, [...(byEngine.get(record.engine) ?? []), record]);
  }
  const shown = [...groups.entries()].slice(0, limit).map(([key, group]): Conversation => {
    const script = CONVERSATIONS.find((c) => c.name === group.name);
    return {
      key,
      phase: group.phase,
      name: group.name,
      instance: group.instance,
      description: script?.description ?? null,
      system: script?.system ?? null,
      turns: [...group.turns.entries()]
        .sort(([a], [b]) => a - b)
        .map(([turn, byEngine]) => ({
          turn,
          user: script?.turns[turn - 1] ?? null,
          answers: run.engines.map((engine) => {
            const chosen = pick(byEngine.get(engine.label) ?? []);
            return { engine: engine.label, simulated: engine.simulated, record: chosen === undefined ? null : answerOf(chosen) };
          }),
        })),
    };
  });
  return { shown, total: groups.size };
}
