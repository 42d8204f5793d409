import type { WindowLayout } from "../backend.ts";
import { recordOp } from "../autograd.ts";
import type { Shape } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { make } from "../_op.ts";
import { reshape } from "./reshape.ts";
import { transpose } from "./transpose.ts";

/**
 * Every window of `x` as a row, `[N·outH·outW, C·kH·kW]` (padding reads as 0). Its gradient is
 * {@linkcode col2im} and col2im's is im2col, so both differentiate any number of times.
 */
export function im2col(x: Tensor, layout: WindowLayout): Tensor {
  const { batch, outH, outW, channels, kernelH, kernelW } = layout;
  const shape = [batch * outH * outW, channels * kernelH * kernelW];
  const cols = make(x.backend, x.backend.im2col(x.storage, layout), shape);
  return recordOp(cols, [x], "im2col", (g) => [col2im(g, layout, x.shape)]);
}

/** The adjoint of {@linkcode im2col}: sums patch rows back into an input of `shape`. */
export function col2im(cols: Tensor, layout: WindowLayout, shape: Shape): Tensor {
  const x = make(cols.backend, cols.backend.col2im(cols.storage, layout), shape);
  return recordOp(x, [cols], "col2im", (g) => [im2col(g, layout)]);
}

/** Every pooling window of `x` along a last axis: `[N, C, outH, outW, kH·kW]`. */
export function poolWindows(x: Tensor, layout: WindowLayout): Tensor {
  const { batch, outH, outW, channels, kernelH, kernelW } = layout;
  const rows = reshape(im2col(x, layout), [batch, outH, outW, channels, kernelH * kernelW]);
  return transpose(rows, [0, 3, 1, 2, 4]);
}
