// Where prompts come from: one --prompt, a prompt file, or the built-in set.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { z } from 'zod';
import type { ChatMessage } from '../engines/engine.ts';
import { ServebenchError } from '../errors.ts';
import { selectPrompts } from '../workloads/select.ts';

export interface Prompt {
  id: string;
  messages: ChatMessage[];
}

const Message = z.strictObject({ role: z.enum(['system', 'user', 'assistant']), content: z.string().min(1) });
const JsonlPrompt = z.union([
  z.object({ id: z.string().optional(), messages: z.array(Message).min(1) }),
  z.object({ id: z.string().optional(), prompt: z.string().min(1) }),
]);

export function promptFromText(text: string): Prompt {
  return { id: 'prompt-1', messages: [{ role: 'user', content: text }] };
}

/** The built-in chat workload (61 prompts in 8 categories), in a shuffle fixed by the seed. */
export function builtinPrompts(seed: number, categories?: readonly string[]): Prompt[] {
  return selectPrompts({ seed, ...(categories ? { categories } : {}) }).map((p) => ({ id: p.id, messages: p.messages }));
}

export async function readPromptFile(file: string): Promise<Prompt[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ServebenchError(
      'PROMPTS_INVALID',
      `cannot read the prompt file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      'check the path given to --prompts (or `prompts:` in the config file)',
      { cause: error },
    );
  }
  const lines = text.split(/\r?\n/);
  const prompts: Prompt[] = [];
  const jsonl = extname(file).toLowerCase() === '.jsonl';
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const id = `${jsonl ? 'line' : 'prompt'}-${index + 1}`;
    if (!jsonl) {
      prompts.push({ id, messages: [{ role: 'user', content: line }] });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw invalidLine(file, index + 1, 'is not valid JSON');
    }
    const result = JsonlPrompt.safeParse(parsed);
    if (!result.success) {
      throw invalidLine(file, index + 1, 'must be {"messages": [{"role", "content"}, …]} or {"prompt": "…"}');
    }
    const value = result.data;
    prompts.push({
      id: value.id ?? id,
      messages: 'messages' in value ? value.messages : [{ role: 'user', content: value.prompt }],
    });
  });
  if (prompts.length === 0) {
    throw new ServebenchError(
      'PROMPTS_INVALID',
      `the prompt file ${file} holds no prompt`,
      jsonl ? 'put one JSON object per line' : 'put one prompt per line',
    );
  }
  return prompts;
}

function invalidLine(file: string, line: number, why: string): ServebenchError {
  return new ServebenchError('PROMPTS_INVALID', `${file}:${line}: this line ${why}`, 'fix or remove that line');
}
