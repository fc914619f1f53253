// What each simulated engine says about itself: version, model listings, server properties. Shapes
// follow the info fixtures in /work/shared/protocols (vllm-*.json, tgi-info.json, ollama-*.json,
// llamacpp-*.json). Every body carries "servebench_simulated": true at its top level: the
// collector's adapters look for it, so a simulated engine can never pass for a real one in a
// report. Version strings are the engine versions whose wire format the simulator copies.
import { createHash } from 'node:crypto';
import { invalidField, modelNotFound, type Reply } from './errors.ts';
import { goJson } from './framing.ts';
import { rfc3339Nano } from './ollama.ts';
import { sameOllamaModel } from './requests.ts';
import type { InfoName } from './routes.ts';

export const SIMULATED = { servebench_simulated: true } as const;

export const VLLM_VERSION = '0.12.0';
export const TGI_VERSION = '3.3.4';
export const OLLAMA_VERSION = '0.12.6';
export const LLAMACPP_BUILD = 'b7412-6c2e9f8a1';

/** TGI's system_fingerprint: `<version>-<docker_label or "native">`. */
export const TGI_FINGERPRINT = `${TGI_VERSION}-native`;

export interface InfoContext {
  model: string;
  /** Context window per request, tokens. */
  contextTokens: number;
  /** Parallel sequences (llama.cpp slots). */
  maxBatch: number;
  /** TGI's max_concurrent_requests. */
  maxConcurrent: number;
  /** When the simulated server started, epoch ms. */
  startedAtMs: number;
  /** Now, epoch ms. */
  nowMs: number;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** A stable fake digest per model name (sha256 hex), so listings look like Ollama's. */
function digestOf(model: string): string {
  return createHash('sha256').update(`servebench-simulated:${model}`).digest('hex');
}

// ---------------------------------------------------------------- vLLM

export function vllmVersion(): string {
  return JSON.stringify({ version: VLLM_VERSION, ...SIMULATED });
}

export function vllmModels(c: InfoContext): string {
  const created = seconds(c.startedAtMs);
  return JSON.stringify({
    object: 'list',
    data: [
      {
        id: c.model,
        object: 'model',
        created,
        owned_by: 'vllm',
        root: c.model,
        parent: null,
        max_model_len: c.contextTokens,
        permission: [
          {
            id: `modelperm-${digestOf(c.model).slice(0, 16)}`,
            object: 'model_permission',
            created,
            allow_create_engine: false,
            allow_sampling: true,
            allow_logprobs: true,
            allow_search_indices: false,
            allow_view: true,
            allow_fine_tuning: false,
            organization: '*',
            group: null,
            is_blocking: false,
          },
        ],
      },
    ],
    ...SIMULATED,
  });
}

/** vLLM POST /tokenize. */
export function vllmTokenizeAnswer(ids: number[], contextTokens: number, pieces?: string[]): string {
  return JSON.stringify({ count: ids.length, max_model_len: contextTokens, tokens: ids, ...(pieces ? { token_strs: pieces } : {}) });
}

// ---------------------------------------------------------------- TGI

export function tgiInfo(c: InfoContext): string {
  return JSON.stringify({
    model_id: c.model,
    // Option<String> in TGI: null rather than an invented revision.
    model_sha: null,
    model_pipeline_tag: 'text-generation',
    max_concurrent_requests: c.maxConcurrent,
    max_best_of: 2,
    max_stop_sequences: 4,
    max_input_tokens: c.contextTokens - 1,
    max_total_tokens: c.contextTokens,
    validation_workers: 2,
    max_client_batch_size: 4,
    router: 'text-generation-router',
    version: TGI_VERSION,
    sha: null,
    docker_label: null,
    ...SIMULATED,
  });
}

export function tgiModels(c: InfoContext): string {
  return JSON.stringify({ object: 'list', data: [{ id: c.model, object: 'model', created: 0, owned_by: c.model }], ...SIMULATED });
}

// ---------------------------------------------------------------- Ollama

export function ollamaVersion(): string {
  return goJson({ version: OLLAMA_VERSION, ...SIMULATED });
}

function ollamaDetails(model: string) {
  const size = /(\d+(?:\.\d+)?)b\b/i.exec(model)?.[1];
  return {
    parent_model: '',
    format: 'gguf',
    family: 'llama',
    families: ['llama'],
    parameter_size: size ? `${Number(size).toFixed(1)}B` : '8.0B',
    quantization_level: 'Q4_K_M',
  };
}

const OLLAMA_FILE_BYTES = 4_920_753_328;
const OLLAMA_LOADED_BYTES = 6_654_289_920;

export function ollamaTags(c: InfoContext): string {
  return goJson({
    models: [
      {
        name: c.model,
        model: c.model,
        modified_at: rfc3339Nano(c.startedAtMs),
        size: OLLAMA_FILE_BYTES,
        digest: digestOf(c.model),
        details: ollamaDetails(c.model),
      },
    ],
    ...SIMULATED,
  });
}

/** The model is always loaded: the simulator has no cold start. It stays "loaded" five more minutes. */
export function ollamaPs(c: InfoContext): string {
  return goJson({
    models: [
      {
        name: c.model,
        model: c.model,
        size: OLLAMA_LOADED_BYTES,
        digest: digestOf(c.model),
        details: ollamaDetails(c.model),
        expires_at: rfc3339Nano(c.nowMs + 5 * 60_000),
        size_vram: OLLAMA_LOADED_BYTES,
        context_length: c.contextTokens,
      },
    ],
    ...SIMULATED,
  });
}

const OLLAMA_TEMPLATE =
  '{{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>{{ end }}<|start_header_id|>assistant<|end_header_id|>\n\n';

/** Modelfile parameters are printed with the name padded to 30 columns. */
const parameterLine = (name: string, value: string) => `${name.padEnd(30)} ${value}`;

export function ollamaShow(c: InfoContext): string {
  const stops = ['"<|start_header_id|>"', '"<|end_header_id|>"', '"<|eot_id|>"'];
  return goJson({
    license: 'Simulated model served by servebench; no weights, no license.',
    modelfile: `# Modelfile generated by "ollama show"\n# servebench simulator\nFROM ${c.model}\nTEMPLATE """${OLLAMA_TEMPLATE}"""\n${stops.map((s) => `PARAMETER stop ${s}`).join('\n')}\n`,
    parameters: stops.map((s) => parameterLine('stop', s)).join('\n'),
    template: OLLAMA_TEMPLATE,
    details: ollamaDetails(c.model),
    model_info: {
      'general.architecture': 'llama',
      'general.parameter_count': 8_030_261_248,
      'llama.block_count': 32,
      'llama.context_length': 131_072,
      'llama.embedding_length': 4096,
    },
    capabilities: ['completion'],
    modified_at: rfc3339Nano(c.startedAtMs),
    ...SIMULATED,
  });
}

// ---------------------------------------------------------------- llama.cpp

const LLAMACPP_PARAMS = {
  seed: 4294967295,
  temperature: 0.800000011920929,
  dynatemp_range: 0.0,
  dynatemp_exponent: 1.0,
  top_k: 40,
  top_p: 0.949999988079071,
  min_p: 0.05000000074505806,
  top_n_sigma: -1.0,
  xtc_probability: 0.0,
  xtc_threshold: 0.10000000149011612,
  typical_p: 1.0,
  repeat_last_n: 64,
  repeat_penalty: 1.0,
  presence_penalty: 0.0,
  frequency_penalty: 0.0,
  max_tokens: -1,
  n_predict: -1,
  n_keep: 0,
  n_discard: 0,
  ignore_eos: false,
  stream: true,
  n_probs: 0,
  min_keep: 0,
  chat_format: 'Content-only',
  samplers: ['penalties', 'dry', 'top_n_sigma', 'top_k', 'typ_p', 'top_p', 'min_p', 'xtc', 'temperature'],
  timings_per_token: false,
  post_sampling_probs: false,
  lora: [],
};

export function llamacppProps(c: InfoContext): string {
  return JSON.stringify({
    default_generation_settings: { params: LLAMACPP_PARAMS, n_ctx: c.contextTokens },
    total_slots: c.maxBatch,
    model_alias: c.model,
    model_path: `models/${c.model}`,
    modalities: { vision: false, audio: false },
    endpoint_slots: true,
    endpoint_props: false,
    endpoint_metrics: true,
    webui: false,
    chat_template: '{{- bos_token }}\n...',
    bos_token: '<|begin_of_text|>',
    eos_token: '<|eot_id|>',
    build_info: LLAMACPP_BUILD,
    ...SIMULATED,
  });
}

export function llamacppModels(c: InfoContext): string {
  const details = { parent_model: '', format: 'gguf', family: '', families: [''], parameter_size: '', quantization_level: '' };
  return JSON.stringify({
    models: [
      {
        name: c.model,
        model: c.model,
        modified_at: '',
        size: '',
        digest: '',
        type: 'model',
        description: '',
        tags: [''],
        capabilities: ['completion'],
        parameters: '',
        details,
      },
    ],
    object: 'list',
    data: [
      {
        id: c.model,
        object: 'model',
        created: seconds(c.startedAtMs),
        owned_by: 'llamacpp',
        meta: { vocab_type: 2, n_vocab: 128256, n_ctx_train: 131072, n_embd: 4096, n_params: 8030261248, size: 4920739232 },
      },
    ],
    ...SIMULATED,
  });
}

// ---------------------------------------------------------------- dispatch

/** The reply for an info route. Ollama's /api/show checks the model the body names. */
export function infoReply(name: InfoName, c: InfoContext, body: Record<string, unknown> | undefined): Reply {
  const ok = (text: string, contentType = 'application/json'): Reply => ({ status: 200, contentType, body: text });
  switch (name) {
    case 'health-empty':
      return { status: 200, contentType: null, body: '' };
    case 'health-ok':
      return ok('{"status":"ok"}', 'application/json; charset=utf-8');
    case 'ollama-running':
      return ok('Ollama is running', 'text/plain; charset=utf-8');
    case 'vllm-version':
      return ok(vllmVersion());
    case 'vllm-models':
      return ok(vllmModels(c));
    case 'tgi-info':
      return ok(tgiInfo(c));
    case 'tgi-models':
      return ok(tgiModels(c));
    case 'ollama-version':
      return ok(ollamaVersion(), 'application/json; charset=utf-8');
    case 'ollama-tags':
      return ok(ollamaTags(c), 'application/json; charset=utf-8');
    case 'ollama-ps':
      return ok(ollamaPs(c), 'application/json; charset=utf-8');
    case 'ollama-show': {
      const asked = typeof body?.['model'] === 'string' ? body['model'] : typeof body?.['name'] === 'string' ? body['name'] : '';
      if (asked === '') return invalidField('ollama', 'model');
      if (!sameOllamaModel(asked, c.model)) return modelNotFound('ollama', asked);
      return ok(ollamaShow(c), 'application/json; charset=utf-8');
    }
    case 'llamacpp-props':
      return ok(llamacppProps(c), 'application/json; charset=utf-8');
    case 'llamacpp-models':
      return ok(llamacppModels(c), 'application/json; charset=utf-8');
  }
}
