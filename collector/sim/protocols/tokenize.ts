// The tokenize endpoints, answered with the simulator's approximate tokenizer:
// vLLM `POST /tokenize` → {count, max_model_len, tokens}; TGI `POST /tokenize` →
// [{id, text, start, stop}] with UTF-8 byte offsets; llama.cpp `POST /tokenize` → {tokens}.
import type { SimKind } from '../types.ts';
import { BOS, byteOffsets, renderChatTemplate, tokenize } from '../text/tokenizer.ts';
import { invalidField, modelNotFound, type Reply } from './errors.ts';
import { vllmTokenizeAnswer } from './info.ts';
import type { Json, ServedModel } from './requests.ts';
import { tgiTokenizeAnswer } from './tgi-generate.ts';

const json = (body: string, contentType = 'application/json'): Reply => ({ status: 200, contentType, body });

export function tokenizeReply(kind: SimKind, body: Json, served: ServedModel): Reply {
  switch (kind) {
    case 'vllm': {
      const model = body['model'];
      if (typeof model === 'string' && model !== served.model) return modelNotFound('vllm', model);
      let text: string;
      if (Array.isArray(body['messages'])) {
        const messages = body['messages'].map((m: unknown) => {
          const r = (typeof m === 'object' && m !== null ? m : {}) as Json;
          return { role: typeof r['role'] === 'string' ? r['role'] : 'user', content: typeof r['content'] === 'string' ? r['content'] : '' };
        });
        text = renderChatTemplate(messages);
      } else if (typeof body['prompt'] === 'string') {
        text = (body['add_special_tokens'] === false ? '' : BOS.text) + body['prompt'];
      } else {
        return invalidField('vllm', 'prompt');
      }
      const { ids, pieces } = tokenize(text);
      return json(vllmTokenizeAnswer(ids, served.contextTokens, body['return_token_strs'] === true ? pieces : undefined));
    }
    case 'tgi': {
      const inputs = body['inputs'];
      if (typeof inputs !== 'string') return invalidField('tgi', 'inputs');
      const { ids, pieces } = tokenize(inputs);
      const offsets = byteOffsets(pieces);
      // TGI adds the BOS token, which covers no input text.
      const tokens: Array<{ id: number; text: string; start: number; stop: number }> = [{ id: BOS.id, text: '', start: 0, stop: 0 }];
      pieces.forEach((piece, i) => tokens.push({ id: ids[i]!, text: piece, start: offsets[i]![0], stop: offsets[i]![1] }));
      return json(tgiTokenizeAnswer(tokens));
    }
    case 'llamacpp': {
      const content = body['content'];
      if (typeof content !== 'string') return json('{"tokens":[]}', 'application/json; charset=utf-8');
      const ids = tokenize(content).ids;
      return json(JSON.stringify({ tokens: body['add_special'] === true ? [BOS.id, ...ids] : ids }), 'application/json; charset=utf-8');
    }
    case 'ollama':
      return invalidField('ollama', 'model');
  }
}
