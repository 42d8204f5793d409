import { createCpuBackend } from "@kiso/tensor/cpu";
import { backendConformance } from "./backend_conformance.ts";

// the reference passes its own suite (this checks the suite's cases run at all)
backendConformance("cpu", () => createCpuBackend());
