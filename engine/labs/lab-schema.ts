/**
 * The lab sheet format (`labs/NN-slug.yaml`), as a schema. A lab is a sequence of steps a learner
 * follows beside the live cluster; each step says what to do (Markdown text, hints), offers actions
 * (a console command line, or one of the engine's own commands from the contract, with the same
 * payload the UI sends), checks what the cluster shows (a closed catalogue: lab-checks.ts), and
 * asks questions whose answers go into the report.
 *
 * Everything a learner reads exists in English and Korean, so a lab that misses a translation does
 * not load. Actions that name an engine command are validated against that command's own request
 * schema, so a lab cannot ask for a service, fault or config the engine does not have.
 * The format is documented for instructors in labs/README.md; keep the two in step.
 */
import { z } from 'zod';
import { commands, type CommandName } from '../api/contract.js';
import { CHECK_SCHEMAS } from './lab-checks-schema.js';
import { labLimits } from './lab-limits.js';

/** A text a learner reads: both languages, never empty. */
export const LocalizedText = z
  .object({
    en: z.string().trim().min(1, 'the English text is empty'),
    ko: z.string().trim().min(1, 'the Korean text is empty'),
  })
  .strict();

export const LabId = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'an id is lowercase words joined by hyphens, like first-topic')
  .max(64);

export const StepId = LabId;

/** Console commands the autopilot and the "run in console" button type, as a learner would. */
const ConsoleAction = z
  .object({
    console: z.string().trim().min(1).max(labLimits.commandLineCharsMax),
    /** The console tab it runs in (one per long-running tool, as a learner opens terminals). */
    session: z.string().regex(/^[a-z0-9-]{1,32}$/, 'a session name is up to 32 lowercase letters, digits or hyphens').default('lab'),
    /** Lines typed into the tool once it runs (the console producer's records); Ctrl+D follows them. */
    input: z.array(z.string().max(labLimits.inputLineCharsMax)).max(labLimits.inputLinesMax).optional(),
    /** Ctrl+C after this many engine ms (a console consumer that would otherwise run until stopped). */
    stopAfterMs: z.number().int().min(1).max(labLimits.actionWaitMaxMs).optional(),
    /**
     * Keep the tool's result under this name (a perf test's records/s and latency), for checks that
     * compare two runs.
     */
    recordAs: z.string().regex(/^[a-z0-9-]{1,32}$/).optional(),
    label: LocalizedText.optional(),
  })
  .strict();

/** The console's own commands are not lab actions: a console action types into the console instead. */
const CONSOLE_COMMANDS = new Set<string>(['consoleRun', 'consoleInput', 'consoleInterrupt', 'consoleClose']);
export const LAB_COMMANDS = (Object.keys(commands) as CommandName[]).filter((name) => !CONSOLE_COMMANDS.has(name));

const EngineAction = z
  .object({
    do: z.enum(LAB_COMMANDS as [CommandName, ...CommandName[]]),
    /** The command's request, exactly as the contract defines it. */
    with: z.unknown().optional(),
    /** Keep the command's answer under this name (a produce's offset, a preset run's id). */
    recordAs: z.string().regex(/^[a-z0-9-]{1,32}$/).optional(),
    label: LocalizedText.optional(),
  })
  .strict()
  .superRefine((action, ctx) => {
    const parsed = commands[action.do].request.safeParse(action.with ?? {});
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', path: ['with', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: `${action.do}: ${issue.message}` });
    }
  });

/** Engine time passes (the clock skips ahead), as "wait two minutes" in a seed. */
const WaitAction = z
  .object({
    waitMs: z.number().int().min(1).max(labLimits.actionWaitMaxMs),
    label: LocalizedText.optional(),
  })
  .strict();

export const LabActionSchema = z.union([ConsoleAction, EngineAction, WaitAction]);

export const QuestionSchema = z
  .object({
    id: StepId,
    prompt: LocalizedText,
    /** Choices make a multiple-choice question; without them the answer is free text. */
    choices: z
      .array(z.object({ id: StepId, text: LocalizedText }).strict())
      .min(2)
      .max(8)
      .optional(),
    /** The choice the lesson expects (shown after answering, used by the autopilot). */
    expected: StepId.optional(),
    /** What the autopilot writes for a free-text question. */
    autopilotAnswer: z.string().max(labLimits.answerCharsMax).optional(),
  })
  .strict()
  .superRefine((question, ctx) => {
    if (question.expected !== undefined && !question.choices?.some((c) => c.id === question.expected)) {
      ctx.addIssue({ code: 'custom', path: ['expected'], message: `expected '${question.expected}' is not one of the choices` });
    }
    if (question.choices === undefined && question.autopilotAnswer === undefined) {
      ctx.addIssue({ code: 'custom', path: ['autopilotAnswer'], message: 'a free-text question needs an autopilotAnswer, so the autopilot can complete the lab' });
    }
  });

export const CheckSchema = z.discriminatedUnion('check', CHECK_SCHEMAS);

export const StepSchema = z
  .object({
    id: StepId,
    title: LocalizedText,
    /** Markdown (rendered without raw HTML). */
    text: LocalizedText,
    hints: z.array(LocalizedText).max(labLimits.hintsPerStepMax).default([]),
    actions: z.array(LabActionSchema).max(labLimits.actionsPerStepMax).default([]),
    checks: z.array(CheckSchema).max(labLimits.checksPerStepMax).default([]),
    questions: z.array(QuestionSchema).max(labLimits.questionsPerStepMax).default([]),
    /** How long (engine ms) the autopilot lets time run for the checks to pass before it calls them failed. */
    timeoutMs: z.number().int().min(1_000).max(labLimits.stepTimeoutMaxMs).default(120_000),
  })
  .strict();

const TopicSetup = z
  .object({
    name: z.string().min(1).max(249),
    partitions: z.number().int().min(1).max(1_000),
    replicationFactor: z.number().int().min(1).max(9),
    configs: z.record(z.string(), z.string()).default({}),
  })
  .strict();

export const LabSetupSchema = z
  .object({
    brokers: z.number().int().min(1).max(9).default(3),
    /** Metadata quorum voters: the first N brokers (Kafka's controller.quorum.voters). */
    quorumVoters: z.number().int().min(1).max(9).optional(),
    topics: z.array(TopicSetup).max(labLimits.setupTopicsMax).default([]),
    /** Service settings and replica counts, as the Services view sets them. */
    services: z
      .object({
        settings: z.unknown().optional(),
        order: z.number().int().min(0).max(16).optional(),
        inventory: z.number().int().min(0).max(16).optional(),
      })
      .strict()
      .optional(),
    /** Anything else the lab needs before its first step, in order. */
    actions: z.array(LabActionSchema).max(labLimits.actionsPerStepMax).default([]),
    /** The live clock's speed when the lab starts in the app (the autopilot runs as fast as it can). */
    clockSpeed: z.number().min(0.25).max(10).default(1),
  })
  .strict()
  .superRefine((setup, ctx) => {
    if (setup.quorumVoters !== undefined && setup.quorumVoters > setup.brokers) {
      ctx.addIssue({ code: 'custom', path: ['quorumVoters'], message: `quorumVoters (${setup.quorumVoters}) cannot exceed brokers (${setup.brokers})` });
    }
    if (setup.services?.settings !== undefined) {
      const parsed = commands.configureServices.request.safeParse(setup.services.settings);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          ctx.addIssue({ code: 'custom', path: ['services', 'settings', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: `configureServices: ${issue.message}` });
        }
      }
    }
  });

export const LabSchema = z
  .object({
    id: LabId,
    version: z.number().int().min(1),
    /** The workshop file the lab comes from (../shared/seeds/NNN_*.txt), one or more. */
    seeds: z.array(z.string().regex(/^\d{3}_[0-9a-f]{16}\.txt$/, 'a seed file is named like 001_b4ed1af62da2a282.txt')).min(1),
    title: LocalizedText,
    summary: LocalizedText,
    /** The introduction, Markdown. */
    text: LocalizedText,
    estimatedMinutes: z.number().int().min(1).max(240),
    setup: LabSetupSchema.default({ brokers: 3, topics: [], actions: [], clockSpeed: 1 }),
    steps: z.array(StepSchema).min(1).max(labLimits.stepsMax),
  })
  .strict()
  .superRefine((lab, ctx) => {
    const seen = new Set<string>();
    lab.steps.forEach((step, index) => {
      if (seen.has(step.id)) ctx.addIssue({ code: 'custom', path: ['steps', index, 'id'], message: `step id '${step.id}' is used twice` });
      seen.add(step.id);
      const questionIds = new Set<string>();
      step.questions.forEach((q, qi) => {
        if (questionIds.has(q.id)) ctx.addIssue({ code: 'custom', path: ['steps', index, 'questions', qi, 'id'], message: `question id '${q.id}' is used twice in step '${step.id}'` });
        questionIds.add(q.id);
      });
    });
  });

export type LocalizedTextValue = z.infer<typeof LocalizedText>;
export type LabAction = z.infer<typeof LabActionSchema>;
export type LabCheck = z.infer<typeof CheckSchema>;
export type LabQuestion = z.infer<typeof QuestionSchema>;
export type LabStep = z.infer<typeof StepSchema>;
export type LabSetup = z.infer<typeof LabSetupSchema>;
export type Lab = z.infer<typeof LabSchema>;

export function isConsoleAction(action: LabAction): action is z.infer<typeof ConsoleAction> {
  return 'console' in action;
}

export function isEngineAction(action: LabAction): action is z.infer<typeof EngineAction> {
  return 'do' in action;
}
