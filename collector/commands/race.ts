// `servebench race "PROMPT"`: one prompt to every engine at once, the answers streaming side by
// side with live TTFT and output rate, then saved as a run (one `race` phase per engine).
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { readConfigFile, resolveCollectPlan, type CollectFlags } from '../config/load.ts';
import type { ConfigFile } from '../config/schema.ts';
import { makeRedactor } from '../config/redact.ts';
import { ServebenchError } from '../errors.ts';
import { laneEvent, laneFinished, laneSent, laneView, newLane, type Lane, type LaneView } from '../race/lane.ts';
import { startLiveView, type LiveView } from '../race/live.ts';
import { renderAnswerBlocks, renderRace, renderResultsTable } from '../race/render.ts';
import { runRace } from '../race/run-race.ts';
import type { CommandIO, CommandModule } from './command.ts';
import { addEngineOptions, cliFlags } from './flags.ts';

/** Output tokens asked of each engine unless --max-tokens or the config file says otherwise. */
export const RACE_MAX_TOKENS = 256;
const RACE_NAME = 'race';

type RaceFlags = Pick<
  CollectFlags,
  'engine' | 'model' | 'config' | 'apiKeyEnv' | 'apiKeyFile' | 'insecure' | 'caFile' | 'maxTokens' | 'temperature' | 'seed' | 'name' | 'out'
> & { json?: boolean; save?: boolean };

export const race: CommandModule = {
  define(program: Command, io: CommandIO) {
    addEngineOptions(program.command('race'))
      .summary('send one prompt to every engine at once and watch the answers stream side by side')
      .description(
        'Sends PROMPT to every engine at the same moment and shows the answers as they stream, side by side, ' +
          'with live TTFT and output tokens/s (on a terminal; otherwise each answer is printed when all are done). ' +
          'Answers end where the model stops (no forced length). The race is saved as a run with one `race` phase ' +
          'per engine unless --no-save.',
      )
      .argument('<PROMPT>', 'the user message sent to every engine')
      .option('--max-tokens <N>', `maximum output tokens per answer (default ${RACE_MAX_TOKENS})`)
      .option('--temperature <T>', 'sampling temperature (default 0)')
      .option('--seed <N>', 'seed sent with every request (default 42)')
      .option('--name <LABEL>', `run name, also used in the run id (default ${RACE_NAME})`)
      .option('--out <DIR>', 'directory that holds runs (default runs)')
      .option('--json', 'print one JSON object {runId, runDir, status} as the last stdout line')
      .option('--no-save', 'show the race only; write no run')
      .action(async (promptText: string, _options: unknown, command: Command) => {
        const { json, save, ...given } = cliFlags(command) as RaceFlags;
        if (promptText.trim() === '') throw new ServebenchError('BAD_FLAG', 'the prompt is empty', 'give the question to ask, e.g. servebench race "Why is the sky blue?" --engine …');
        // The config file is read once: the race's defaults depend on what it sets.
        const configPath = given.config !== undefined ? resolve(io.cwd, given.config) : undefined;
        const file = configPath !== undefined ? await readConfigFile(configPath) : {};
        const plan = await resolveCollectPlan(file, configPath !== undefined ? dirname(configPath) : io.cwd, raceFlags(given, promptText, file), io.env, io.cwd);
        io.protect?.(plan.secrets);
        const redact = makeRedactor(plan.secrets);
        const now = (): number => performance.now();
        let lanes: Lane[] = [];
        let live: LiveView | null = null;
        // Engine text is redacted before it is sanitized and wrapped, so no secret is split across lines.
        const views = (): LaneView[] => lanes.map((lane) => {
          const view = laneView(lane, now());
          return { ...view, label: redact(view.label), text: redact(view.text), error: view.error === null ? null : redact(view.error) };
        });
        let result;
        try {
          result = await runRace(plan, {
            now,
            timeOrigin: performance.timeOrigin,
            wallClock: () => new Date(),
            signal: io.signal,
            save: save !== false,
            onReady: (sessions) => {
              lanes = sessions.map((s) => newLane(s.plan.label, s.info.simulated, plan.textLimit));
              if (io.tty) live = startLiveView(io.tty, (screen) => renderRace(views(), screen));
            },
            onSent: (index, at) => laneSent(lanes[index]!, at),
            onEvent: (index, event, at) => {
              laneEvent(lanes[index]!, event, at);
              live?.touch();
            },
            onRecorded: (index, record) => {
              laneFinished(lanes[index]!, record);
              live?.touch();
            },
          });
        } finally {
          (live as LiveView | null)?.stop();
        }
        const { run, dir } = result;
        const final = views();
        // On a terminal the answers stay on screen side by side; elsewhere they are printed in full here.
        io.stdout(io.tty ? renderResultsTable(final) : renderAnswerBlocks(final));
        const simulated = run.engines.filter((e) => e.simulated).map((e) => e.label);
        io.stdout(dir ? `run ${run.id}: ${run.status}, written to ${dir}\n` : `race ${run.status}, not saved (--no-save)\n`);
        if (simulated.length > 0) io.stdout(`note: ${simulated.join(', ')} ${simulated.length > 1 ? 'are' : 'is'} SIMULATED: these numbers describe the simulator, not a real engine\n`);
        if (json) io.stdout(`${JSON.stringify({ runId: dir ? run.id : null, runDir: dir, status: run.status })}\n`);
        if (run.status === 'aborted') {
          throw new ServebenchError(
            'INTERRUPTED',
            dir ? `interrupted: race ${run.id} was saved as aborted in ${dir}` : 'interrupted: the race was stopped',
            'answers still streaming were cancelled; rerun to see them whole',
          );
        }
      });
  },
};

/**
 * The collect flags a race resolves: the prompt from the argument, streamed natural-length answers,
 * and the race's own defaults for max tokens and name where neither a flag nor the config file sets them.
 */
function raceFlags(given: Omit<RaceFlags, 'json' | 'save'>, prompt: string, file: ConfigFile): CollectFlags {
  return {
    ...given,
    prompt,
    naturalLength: true,
    stream: true,
    ...(given.maxTokens === undefined && file.maxTokens === undefined ? { maxTokens: String(RACE_MAX_TOKENS) } : {}),
    ...(given.name === undefined && file.name === undefined ? { name: RACE_NAME } : {}),
  };
}
