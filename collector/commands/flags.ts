// Commander glue shared by commands: repeatable options, and only the flags actually typed
// (so a default never hides a config-file value).
import type { Command } from 'commander';

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
