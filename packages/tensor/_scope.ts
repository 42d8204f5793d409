/**
 * The bookkeeping behind `tidy` and `Tensor.dispose`: which storages each open scope made,
 * which must outlive every scope, and which are already freed. Storages, not tensors, are
 * tracked, because views (`detach`, `reshape`, a `Parameter`) share their source's storage.
 */
import type { Backend, Storage } from "./backend.ts";

/** A storage with the backend that frees it. */
interface Made {
  readonly backend: Backend;
  readonly storage: Storage;
}

/** The storages first wrapped in a tensor while each open scope was the innermost. */
const scopes: Made[][] = [];
/** Storages some tensor has wrapped: a view made later of one of them is not new. */
const seen = new WeakSet<Storage>();
/** Storages no scope frees: kept, assigned into a tensor, or a gradient. */
const kept = new WeakSet<Storage>();
/** Storages already freed. */
const freed = new WeakSet<Storage>();

/** Records a storage that a new tensor wraps: the innermost open scope owns it if it is new. */
export function track(backend: Backend, storage: Storage): void {
  if (seen.has(storage)) return;
  seen.add(storage);
  scopes.at(-1)?.push({ backend, storage });
}

/** Spares a storage from every scope, open or to come. */
export function keepStorage(storage: Storage): void {
  kept.add(storage);
}

/** Frees a storage once (later calls do nothing). */
export function release(backend: Backend, storage: Storage): void {
  if (freed.has(storage)) return;
  freed.add(storage);
  backend.dispose(storage);
}

/** Opens a scope: it owns the storages made until it closes or a nested one opens. */
export function openScope(): void {
  scopes.push([]);
}

/**
 * Closes the innermost scope: frees what it made except `spared` storages and kept ones; the
 * spared ones pass to the enclosing scope, if any. Without `spared` it frees nothing and
 * forgets what it made (the garbage collector frees it).
 *
 * @param spared The storages to keep (those of the tensors the scope returns).
 */
export function closeScope(spared?: ReadonlySet<Storage>): void {
  const made = scopes.pop() ?? [];
  if (spared === undefined) return;
  for (const m of made) {
    if (spared.has(m.storage)) scopes.at(-1)?.push(m);
    else if (!kept.has(m.storage)) release(m.backend, m.storage);
  }
}
