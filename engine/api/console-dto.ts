/**
 * The console as it crosses the contract: sessions (the UI console's tabs) run Kafka's command-line
 * tools as typed; their output is read by line number, and the `console` event only says which
 * sessions have new lines, so the stream stays small however much a console consumer prints.
 */
import { z } from 'zod';

export const SessionId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a session id is 1 to 64 letters, digits, dots, dashes or underscores');

export const ConsoleRunRequest = z.object({ sessionId: SessionId, line: z.string().max(8192) }).strict();
/** A line typed into the running tool; null is Ctrl+D (end of input). */
export const ConsoleInputRequest = z.object({ sessionId: SessionId, line: z.string().max(1_048_588).nullable() }).strict();
export const ConsoleSessionRef = z.object({ sessionId: SessionId }).strict();
export const ConsoleOutputRequest = z.object({ sessionId: SessionId, afterLine: z.number().int().min(0).default(0) }).strict();

export const ConsoleLineSchema = z.object({ stream: z.enum(['in', 'out', 'err']), text: z.string() }).strict();

export const ConsoleOutputSchema = z
  .object({
    sessionId: z.string(),
    firstLine: z.number().int().min(0),
    lines: z.array(ConsoleLineSchema),
    totalLines: z.number().int().min(0),
    /** The command line running now, or null at the prompt. */
    running: z.string().nullable(),
    lastExitCode: z.number().int().nullable(),
  })
  .strict();

export const ConsoleSessionStateSchema = z
  .object({ sessionId: z.string(), totalLines: z.number().int().min(0), running: z.string().nullable(), lastExitCode: z.number().int().nullable() })
  .strict();

export const ConsoleEventSchema = z.object({ sessions: z.array(ConsoleSessionStateSchema) }).strict();

/** A file of the console's home directory (reassignment JSON, topics-to-move JSON, client configs). */
export const ConsoleFilePath = z
  .string()
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/, 'a file name is letters, digits, dots, dashes and underscores, not starting with a dot')
  .refine((p) => !p.includes('..'), 'a file name may not contain ..');
export const WriteConsoleFileRequest = z.object({ path: ConsoleFilePath, text: z.string().max(1_048_576) }).strict();
export const ConsoleFileRef = z.object({ path: ConsoleFilePath }).strict();
export const ConsoleFileSchema = z.object({ path: z.string(), text: z.string() }).strict();
export const ConsoleFileList = z.object({ files: z.array(z.object({ path: z.string(), sizeBytes: z.number().int().min(0) }).strict()) }).strict();

export type ConsoleOutput = z.infer<typeof ConsoleOutputSchema>;
export type ConsoleEvent = z.infer<typeof ConsoleEventSchema>;
