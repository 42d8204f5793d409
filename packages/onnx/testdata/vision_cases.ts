/**
 * The vision layers' export cases (see `exportCases`): the convolution family with groups and
 * padding modes, every pooling option, adaptive and global pooling, resizing, the group and
 * instance norms, and the containers.
 *
 * @module
 */
import {
  AdaptiveAvgPool1d,
  AdaptiveAvgPool2d,
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  AvgPool1d,
  AvgPool2d,
  Concat,
  Conv1d,
  Conv2d,
  ConvTranspose1d,
  ConvTranspose2d,
  GlobalAvgPool,
  LpPool2d,
  MaxPool1d,
  MaxPool2d,
  type Module,
  PixelShuffle,
  PixelUnshuffle,
  ReLU,
  Residual,
  Sequential,
  Upsample,
} from "@kiso/layers";
import {
  BatchNorm1d,
  BatchNorm2d,
  GroupNorm,
  InstanceNorm1d,
  InstanceNorm2d,
} from "@kiso/regularization";
import { randn, type Rng } from "@kiso/tensor";

/** The options the cases are built with. */
type CaseOptions = { rng: Rng; dtype: "float32" | "float64" };

/** Every vision layer and option, with an input shape (batch 2). */
export function visionCases(o: CaseOptions): [string, Module, number[]][] {
  const d = { dtype: o.dtype };
  const tracked = new InstanceNorm2d(3, { ...d, affine: true, trackRunningStats: true });
  tracked.train().forward(randn([4, 3, 5, 5], o)); // running statistics that are not the identity
  const ncl = new BatchNorm1d(4, d);
  ncl.train().forward(randn([3, 4, 6], o));
  return [
    [
      "Conv1d stride 2, padding 1, dilation 2",
      new Conv1d(3, 4, 3, { ...o, stride: 2, padding: 1, dilation: 2 }),
      [2, 3, 11],
    ],
    [
      "Conv1d padding same, groups 3, reflect",
      new Conv1d(3, 6, 4, { ...o, padding: "same", groups: 3, paddingMode: "reflect" }),
      [2, 3, 8],
    ],
    [
      "Conv1d circular padding 2",
      new Conv1d(2, 3, 3, { ...o, padding: 2, paddingMode: "circular" }),
      [2, 2, 7],
    ],
    ["Conv2d groups 2, no bias", new Conv2d(4, 6, 3, { ...o, groups: 2, bias: false }), [
      2,
      4,
      6,
      6,
    ]],
    [
      "Conv2d depthwise (groups = channels), replicate",
      new Conv2d(3, 6, 3, { ...o, groups: 3, padding: 1, paddingMode: "replicate" }),
      [2, 3, 6, 6],
    ],
    [
      "Conv2d circular padding [1, 2]",
      new Conv2d(2, 3, [3, 2], { ...o, padding: [1, 2], paddingMode: "circular" }),
      [2, 2, 5, 6],
    ],
    [
      "Conv2d reflect, padding same, dilation 2",
      new Conv2d(2, 3, 3, { ...o, padding: "same", dilation: 2, paddingMode: "reflect" }),
      [2, 2, 7, 7],
    ],
    [
      "ConvTranspose1d stride 2, padding 1, output padding 1, groups 2",
      new ConvTranspose1d(4, 6, 3, { ...o, stride: 2, padding: 1, outputPadding: 1, groups: 2 }),
      [2, 4, 5],
    ],
    [
      "ConvTranspose2d stride 2, padding 1, output padding 1, no bias",
      new ConvTranspose2d(3, 2, 3, { ...o, stride: 2, padding: 1, outputPadding: 1, bias: false }),
      [2, 3, 4, 4],
    ],
    [
      "ConvTranspose2d dilation 2, stride [2, 1], padding [0, 1]",
      new ConvTranspose2d(2, 4, [2, 3], { ...o, stride: [2, 1], padding: [0, 1], dilation: 2 }),
      [2, 2, 3, 4],
    ],
    [
      "MaxPool1d stride 2, padding 1, ceil mode",
      new MaxPool1d(3, { stride: 2, padding: 1, ceilMode: true }),
      [2, 3, 8],
    ],
    [
      "AvgPool1d ceil mode, padding excluded",
      new AvgPool1d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
      [2, 3, 8],
    ],
    ["MaxPool2d ceil mode", new MaxPool2d(2, { ceilMode: true }), [2, 3, 5, 5]],
    [
      "AvgPool2d padding excluded",
      new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
      [2, 3, 6, 6],
    ],
    [
      "AvgPool2d ceil mode, padding included",
      new AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true }),
      [2, 3, 6, 6],
    ],
    ["AvgPool2d divisor override 3", new AvgPool2d(2, { padding: 1, divisorOverride: 3 }), [
      2,
      3,
      5,
      5,
    ]],
    ["LpPool2d ceil mode", new LpPool2d(2, 2, { ceilMode: true }), [2, 3, 5, 5]],
    ["AdaptiveAvgPool2d 1 (global)", new AdaptiveAvgPool2d(1), [2, 3, 5, 4]],
    ["AdaptiveAvgPool2d even bins", new AdaptiveAvgPool2d([2, 3]), [2, 3, 6, 6]],
    ["AdaptiveAvgPool2d uneven bins", new AdaptiveAvgPool2d([3, 4]), [2, 3, 7, 9]],
    ["AdaptiveMaxPool2d 1 (global)", new AdaptiveMaxPool2d(1), [2, 3, 5, 4]],
    ["AdaptiveMaxPool2d uneven bins", new AdaptiveMaxPool2d([3, 2]), [2, 3, 7, 5]],
    ["AdaptiveAvgPool1d uneven bins", new AdaptiveAvgPool1d(3), [2, 3, 7]],
    ["AdaptiveMaxPool1d even bins", new AdaptiveMaxPool1d(2), [2, 3, 8]],
    ["AdaptiveMaxPool1d uneven bins", new AdaptiveMaxPool1d(4), [2, 3, 7]],
    ["GlobalAvgPool", new GlobalAvgPool(), [2, 3, 4, 5]],
    ["Upsample nearest, scale 2", new Upsample({ scaleFactor: 2 }), [2, 3, 3, 4]],
    ["Upsample nearest, size [5, 7]", new Upsample({ size: [5, 7] }), [2, 3, 3, 4]],
    ["Upsample bilinear, scale 1.5", new Upsample({ scaleFactor: 1.5, mode: "bilinear" }), [
      2,
      3,
      4,
      4,
    ]],
    [
      "Upsample bilinear, align corners, size [5, 3]",
      new Upsample({ size: [5, 3], mode: "bilinear", alignCorners: true }),
      [2, 3, 3, 4],
    ],
    ["Upsample linear, scale 2", new Upsample({ scaleFactor: 2, mode: "linear" }), [2, 3, 5]],
    [
      "Upsample linear, align corners, size 7",
      new Upsample({ size: 7, mode: "linear", alignCorners: true }),
      [2, 3, 4],
    ],
    ["PixelShuffle 2", new PixelShuffle(2), [2, 8, 3, 4]],
    ["PixelUnshuffle 2", new PixelUnshuffle(2), [2, 2, 4, 6]],
    ["GroupNorm 2 groups of 3", new GroupNorm(2, 6, { ...d, eps: 1e-4 }), [2, 6, 4, 4]],
    ["GroupNorm without affine, 1-D", new GroupNorm(2, 4, { ...d, affine: false }), [2, 4, 5]],
    ["InstanceNorm2d affine", new InstanceNorm2d(3, { ...d, affine: true }), [2, 3, 4, 5]],
    ["InstanceNorm1d", new InstanceNorm1d(3, d), [2, 3, 6]],
    ["InstanceNorm2d tracked statistics (evaluation)", tracked, [2, 3, 4, 4]],
    ["BatchNorm1d on [N, C, L]", ncl, [2, 4, 6]],
    [
      "Residual",
      new Residual(new Sequential(new Conv2d(3, 3, 3, { ...o, padding: 1 }), new ReLU())),
      [2, 3, 5, 5],
    ],
    [
      "Residual with a strided shortcut",
      new Residual(
        new Sequential(
          new Conv2d(2, 4, 3, { ...o, stride: 2, padding: 1 }),
          new BatchNorm2d(4, d),
        ),
        { shortcut: new Conv2d(2, 4, 1, { ...o, stride: 2 }) },
      ),
      [2, 2, 6, 6],
    ],
    [
      "Concat of branches (channels)",
      new Concat([
        new Conv2d(2, 3, 1, o),
        new Sequential(new Conv2d(2, 2, 3, { ...o, padding: 1 }), new ReLU()),
      ]),
      [2, 2, 4, 4],
    ],
    [
      "Concat on the last axis",
      new Concat([new ReLU(), new Upsample({ scaleFactor: [1, 2] })], { axis: -1 }),
      [2, 1, 3, 2],
    ],
  ];
}
