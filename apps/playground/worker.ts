/**
 * The playground's training worker: a {@linkcode Session} answering the page's messages, and
 * sending training progress as it goes. The page stays responsive because none of the work runs
 * on its thread; predictions are answered between training steps.
 *
 * @module
 */
import type { Envelope, Reply } from "./protocol.ts";
import { Session } from "./session.ts";
import { decodeWords } from "./words.ts";

/** The worker's global scope, as far as it is used here. */
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<Envelope>) => void) | null;
  postMessage(message: Reply, transfer?: Transferable[]): void;
};

let session: Session | undefined;

function post(reply: Reply, transfer: Transferable[] = []): void {
  scope.postMessage(reply, transfer);
}

/** The session, once `init` has made it. */
function started(): Session {
  if (session === undefined) throw new Error("the digits are not loaded yet");
  return session;
}

/** The response for `url`, or an error naming it and its status. */
async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  return response;
}

async function handle(request: Envelope): Promise<void> {
  const { id } = request;
  switch (request.type) {
    case "init": {
      const [digits, words] = await Promise.all([request.digits, request.words].map(fetchOk));
      session = new Session(
        new Uint8Array(await digits.arrayBuffer()),
        decodeWords(await words.text()),
      );
      const backends = await session.availability();
      return post({
        type: "ready",
        id,
        backends,
        counts: session.counts,
        backend: session.backend,
      });
    }
    case "backend":
      await started().useBackend(request.backend, request.threads);
      return post({ type: "backend", id, backend: started().backend });
    case "train": {
      const result = await started().train(request, {
        progress: (update) => post({ type: "progress", ...update }),
        epoch: (logs, step) => post({ type: "epoch", logs, step }),
      });
      return post({ type: "trained", id, ...result });
    }
    case "stop":
      return started().stop();
    case "predict":
      return post({
        type: "prediction",
        id,
        probabilities: await started().predict(request.pixels),
      });
    case "generate":
      return post({
        type: "generated",
        id,
        words: await started().generate(request.count, request.temperature, request.seed),
      });
    case "save": {
      const bytes = await started().save();
      return post({ type: "saved", id, bytes }, [bytes.buffer]);
    }
    case "load":
      return post({ type: "loaded", id, ...await started().load(request.bytes, request.name) });
  }
}

scope.onmessage = (event): void => {
  const request = event.data;
  handle(request).catch((e: unknown) => {
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    post({ type: "error", id: request.id, message });
  });
};
