import "./_test_env.ts"; // before WebGPU starts: quiets Mesa
import { backendConformance } from "@kiso/testing";
import { createWebGpuBackend } from "./mod.ts";

backendConformance("webgpu", () => createWebGpuBackend(), { exclude: ["float64"] });
