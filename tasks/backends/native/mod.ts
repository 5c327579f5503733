/**
 * The `native` tfjs backend: oneDNN kernels through Deno FFI on top of tfjs-backend-cpu.
 * Build the shim with `bash tasks/backends/native/build_native.sh` (run by `deno task setup`).
 * @module
 */
export {
  nativeKernelNames,
  type NativeRegistration,
  registerNativeBackend,
  type RegisterNativeBackendOptions,
  threadsFromEnv,
} from "./register_native_backend.ts";
export { NativeBackend } from "./native_backend.ts";
export { nativeSourceBuildId, readLibraryBuildId } from "./build_id.ts";
