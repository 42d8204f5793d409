/**
 * `deno task export <run-folder> --to torch|onnx`: writes a trained run's model for another
 * engine — `model.py` (a PyTorch module with kiso's state-dict keys, plus `train.safetensors`,
 * the run's training set) or `model.onnx`.
 */
import { parseCommand, runCommand, UsageError } from "./lib/cli.ts";
import { EXPORT_FORMATS, type ExportFormat, exportRun } from "./lib/exchange.ts";

const HELP = `usage: deno task export <run-folder> --to ${EXPORT_FORMATS.join("|")}

  --to torch   model.py: the model as a PyTorch nn.Module that loads model.safetensors with
               strict=True, with check, predict and train commands (train runs under torchrun on
               several GPUs), and train.safetensors, the run's training set
  --to onnx    model.onnx, for ONNX Runtime and other engines (batch axis dynamic)
  -h, --help   this text`;

/**
 * Exports a run folder as the command line asks.
 *
 * @param args The command-line arguments.
 * @returns The text to print.
 */
export async function exportCommand(args: string[]): Promise<string> {
  const { values, positionals } = parseCommand(args, {
    to: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
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
    // model.py, or the first of model-<tag>.py for a demo that trains several models
    const python = files[0].slice(folder.length + 1);
    const weights = python.replace(/\.py$/, ".safetensors");
    lines.push(
      "continue training on 4 GPUs (one process each):",
      `  cd ${folder} && torchrun --nproc_per_node=4 ${python} train --weights ${weights} --data train.safetensors --epochs 5`,
      `check it against kiso's outputs: python3 ${python} check --weights ${weights} --input in.safetensors --output out.safetensors`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) await runCommand(() => exportCommand(Deno.args));
