// Fixture for load_library_test.ts: prints registerNativeBackend()'s outcome as JSON, so a test
// can run it under restricted permissions.
import { registerNativeBackend } from "../../../tasks/backends/native/mod.ts";

console.log(JSON.stringify(await registerNativeBackend()));
