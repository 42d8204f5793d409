import { checkOptions } from "@kiso/tensor/errors";

/** The parts of a page's `document` a download needs (Deno's types have no DOM). */
interface PageDocument {
  createElement(tag: "a"): {
    href: string;
    download: string;
    style: { display: string };
    click(): void;
    remove(): void;
  };
  body: { append(node: unknown): void };
}

/**
 * Offers bytes to the page's user as a file download (a `.safetensors` model, a checkpoint): the
 * browser's own save dialog or downloads folder, as a click on a link with a `download` name
 * does.
 *
 * @param bytes The file's content.
 * @param fileName The name the file is offered under.
 * @param options `type`: the file's media type.
 * @throws {TypeError} Where the runtime has no page to download from (Deno, Node: write the
 * bytes to a file with `writeFileAtomic` instead).
 *
 * @example Usage
 * ```ts
 * import { downloadBytes } from "@kiso/io";
 * import assert from "node:assert/strict";
 *
 * // in a page this saves the file; Deno has no page, so it says what to use instead
 * assert.throws(() => downloadBytes(new Uint8Array([1]), "x.bin"), /writeFileAtomic/);
 * ```
 */
export function downloadBytes(
  bytes: Uint8Array,
  fileName: string,
  options: { type?: string } = {},
): void {
  checkOptions("downloadBytes", options, ["type"]);
  const page = globalThis as { document?: PageDocument };
  if (page.document?.createElement === undefined) {
    throw new TypeError(
      `downloadBytes: ${fileName}: this runtime has no page to download from: write the bytes ` +
        "to a file with writeFileAtomic instead",
    );
  }
  const url = URL.createObjectURL(
    new Blob([bytes as Uint8Array<ArrayBuffer>], {
      type: options.type ?? "application/octet-stream",
    }),
  );
  const link = page.document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.style.display = "none";
  page.document.body.append(link);
  link.click();
  link.remove();
  // the download has taken the URL once the click's task is over
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
