/**
 * The git commit a pipeline ran at, for the history.
 * @module
 */

/** `git rev-parse HEAD` and whether tracked files differ from it; null outside a repository. */
export function gitState(cwd: string = Deno.cwd()): { commit: string; dirty: boolean } | null {
  const git = (...args: string[]) => {
    try {
      const { success, stdout } = new Deno.Command("git", {
        args,
        cwd,
        stdout: "piped",
        stderr: "null",
      }).outputSync();
      return success ? new TextDecoder().decode(stdout).trim() : undefined;
    } catch {
      return undefined; // git is not installed
    }
  };
  const commit = git("rev-parse", "HEAD");
  if (commit === undefined || !/^[0-9a-f]{40,64}$/.test(commit)) return null;
  const status = git("status", "--porcelain", "--untracked-files=no");
  return { commit, dirty: status === undefined || status.length > 0 };
}
