/**
 * What the trainer's commands (`train`, `export`, `predict`) share on the command line: strict
 * parsing whose mistakes are usage errors, and one line per failure.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A mistake on the command line: printed with the usage hint, exit code 2. */
export class UsageError extends Error {}

/** The options of {@linkcode parseCommand}: each a string or a boolean flag. */
export type CommandOptions = Record<string, { type: "string" | "boolean"; short?: string }>;

/**
 * Parses arguments strictly (unknown options refused), positionals allowed.
 *
 * @param args The arguments.
 * @param options The options.
 * @returns The values and the positionals.
 * @throws {UsageError} For an unknown option or a missing value.
 */
export function parseCommand<T extends CommandOptions>(
  args: string[],
  options: T,
): {
  values: { [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : string };
  positionals: string[];
} {
  try {
    const config: ParseArgsConfig = { args, allowPositionals: true, strict: true, options };
    const { values, positionals } = parseArgs(config);
    return {
      values: values as { [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : string },
      positionals,
    };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * Runs a command's main function: prints what it returns; on failure prints one line (with the
 * usage hint for usage errors) and exits 2 for usage errors, else 1. `KISO_DEBUG=1` shows the
 * stack trace instead.
 *
 * @param main The command.
 */
export async function runCommand(main: () => Promise<string>): Promise<void> {
  try {
    console.log(await main());
  } catch (e) {
    if (Deno.env.get("KISO_DEBUG")) throw e;
    const usage = e instanceof UsageError;
    const error = e instanceof Error ? e : new Error(String(e));
    console.error(
      `error: ${error.message.split("\n")[0]}${usage ? "\nrun with --help for usage" : ""}`,
    );
    Deno.exit(usage ? 2 : 1);
  }
}
