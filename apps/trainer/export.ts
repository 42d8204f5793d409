/**
 * `deno task export <run-folder> --to torch|onnx`: writes a trained run's model for another
 * engine — `model.py` (a PyTorch module with kiso's state-dict keys, plus `train.safetensors`,
 * the run's training set) or `model.onnx`.
 */
import { parseArgs } from "node:util";
import { EXPORT_FORMATS, type ExportFormat, exportRun } from "./lib/exchange.ts";

const HELP = `usage: deno task export <run-folder> --to ${EXPORT_FORMATS.join("|")}

  --to torch   model.py: the model as a PyTorch nn.Module that loads model.safetensors with
               strict=True, with check, predict and train commands (train runs under torchrun on
               several GPUs), and train.safetensors, the run's training set
  --to onnx    model.onnx, for ONNX Runtime and other engines (batch axis dynamic)
  -h, --help   this text`;

/** A mistake on the command line: printed with the usage hint, exit code 2. */
export class UsageError extends Error {}

/**
 * Exports a run folder as the command line asks.
 *
 * @param args The command-line arguments.
 * @returns The text to print.
 */
export async function exportCommand(args: string[]): Promise<string> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { to: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return HELP;
  if (positionals.length !== 1 || values.to === undefined) {
    throw new UsageError(`expects one run folder and --to ${EXPORT_FORMATS.join("|")}`);
  }
  if (!(EXPORT_FORMATS as readonly string[]).includes(values.to)) {
    throw new UsageError(`unknown format "${values.to}": choose ${EXPORT_FORMATS.join(" or ")}`);
  }
  const folder = positionals[0].replace(/\/+$/, "");
  const files = await exportRun(folder, values.to as ExportFormat);
  const lines = [`wrote ${files.join(", ")}`];
  if (values.to === "torch") {
    lines.push(
      "continue training on 4 GPUs (one process each):",
      `  cd ${folder} && torchrun --nproc_per_node=4 model.py train --weights model.safetensors --data train.safetensors --epochs 5`,
      "check it against kiso's outputs: python3 model.py check --weights model.safetensors --input in.safetensors --output out.safetensors",
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  try {
    console.log(await exportCommand(Deno.args));
  } catch (e) {
    if (Deno.env.get("KISO_DEBUG")) throw e;
    const usage = e instanceof UsageError;
    console.error(
      `error: ${(e as Error).message.split("\n")[0]}${usage ? "\nrun with --help for usage" : ""}`,
    );
    Deno.exit(usage ? 2 : 1);
  }
}
