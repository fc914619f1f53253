// Commander glue shared by commands: repeatable options, and only the flags actually typed
// (so a default never hides a config-file value).
import { Option, type Command } from 'commander';

/** The options that name engines and how to reach them, shared by collect and engines. */
export function addEngineOptions(command: Command): Command {
  return command
    .option('--engine <KIND=URL>', 'engine, repeatable; KIND is vllm, tgi, ollama, llamacpp or openai; KIND:API=URL picks an API (e.g. tgi:messages=…)', collectList, [])
    .option('--model <NAME>', 'model name sent to every engine')
    .option('--config <FILE>', 'YAML config file with every option (flags win)')
    .option('--api-key-env <NAME>', 'env var holding the bearer token (default SERVEBENCH_API_KEY)')
    .option('--api-key-file <PATH>', 'file holding the bearer token')
    .option('--insecure', 'skip TLS certificate verification')
    .option('--ca-file <PATH>', 'extra CA bundle (PEM) to trust');
}

/** Service-level objectives, repeatable; they replace the scenario's `slo:` list. */
export function addSloOptions(command: Command): Command {
  return command.option(
    '--slo <OBJECTIVE>',
    'service-level objective, repeatable, e.g. ttft:p95<200ms, e2e:p95<2s, itl:p99<50ms, tpot:p50<=30ms, error_rate<1%, output_tokens_per_s>50, requests_per_s>=2; ' +
      'replaces the scenario\'s slo: list; `none` sets none (default: none, "no SLO set")',
    collectList,
    [],
  );
}

/** What to measure and how: scenario, load, prompts, output, timeouts and progress; shared by collect and noise. */
export function addRunOptions(command: Command): Command {
  return command
    .option('--preset <NAME>', 'a shipped scenario: quick, standard, stress or demo')
    .option('--requests <N>', 'requests per phase (warm-up included)')
    .option('--duration <S>', 'seconds per phase (with --requests: whichever comes first)')
    .option('--concurrency <N[,N…]>', 'closed-loop users; a list runs one phase per level (a sweep)')
    .option('--rate <R[,R…]>', 'open-loop arrivals per second; a list runs one phase per rate')
    .option('--arrival <KIND>', 'open-loop arrivals: constant or poisson (default poisson)')
    .option('--max-in-flight <N>', 'open loop: arrivals beyond this many in flight are dropped and counted')
    .option('--sweep <auto>', 'measure sequential and saturated throughput, then spread rates between them')
    .option('--warmup <N>', 'first N requests of each phase are recorded but left out of summaries')
    .option('--think-time <MS>', 'closed loop: pause between a user\'s requests')
    .option('--scrape-interval <S>', 'seconds between scrapes of engine /metrics (default 1)')
    .option('--dry-run', 'print the resolved plan (phases, expected requests and duration) and send nothing')
    .addOption(new Option('--progress <MODE>', 'live progress: tty (redrawn), plain (a line every 5 s) or quiet').choices(['tty', 'plain', 'quiet']))
    .option('--quiet', 'no progress output (same as --progress quiet)')
    .option('--max-tokens <N>', 'maximum output tokens per request')
    .option('--temperature <T>', 'sampling temperature (default 0)')
    .option('--seed <N>', 'seed sent with every request (default 42)')
    .option('--prompt <TEXT>', 'one prompt for every request')
    .option('--synthetic <LENGTH>', 'synthetic prompts of short, medium or long input, or MEAN:STDEV[:MIN:MAX] tokens, calibrated with each engine\'s /tokenize')
    .option('--shared-prefix <TOKENS>', 'prepend one shared system text of about this many tokens to every prompt')
    .option('--conversations <NAMES>', 'multi-turn conversations (4 turns, history carried): all, or names')
    .option('--compare-streaming', 'run every phase twice: streamed, then whole answers')
    .option('--cold-connections', 'open a new connection for every request (default: one per user, opened before the phase and reused)')
    .option('--categories <LIST>', 'built-in prompt categories, comma-separated (default: all 8)')
    .option('--prompts <FILE>', 'prompt file: .txt (one per line) or .jsonl ({"messages": [...]} per line)')
    .option('--name <LABEL>', 'run name, also used in the run id')
    .option('--out <DIR>', 'directory that holds runs (default runs)')
    .option('--natural-length', 'do not ask engines to ignore EOS; answers end where the model stops')
    .option('--no-stream', 'ask for whole answers instead of streams (TTFT then equals E2E)')
    .option('--ttft-timeout <S>', 'seconds to wait for the first token (default 60)')
    .option('--idle-timeout <S>', 'seconds allowed between two stream events (default 30)')
    .option('--timeout <S>', 'seconds allowed for a whole request (default 300)')
    .option('--grace <S>', 'after Ctrl-C, seconds requests in flight may take to finish (default 10)');
}

export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function cliFlags(command: Command): Record<string, unknown> {
  const options = command.opts();
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const source = command.getOptionValueSource(key);
    if (source === 'cli' || source === 'env') given[key] = value;
  }
  if (Array.isArray(options.engine) && options.engine.length > 0) given.engine = options.engine;
  if (Array.isArray(options.slo) && options.slo.length > 0) given.slo = options.slo;
  return given;
}
