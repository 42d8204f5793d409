import { backendConformance } from "@kiso/testing";
import { createWebGpuBackend } from "./mod.ts";

backendConformance("webgpu", () => createWebGpuBackend(), { exclude: ["float64"] });
