/**
 * Waits for an asynchronous condition (an RPC, a CLI run) in the real-process tests. A call that
 * throws counts as "not yet": a manager mid-election or a daemon still starting refuses calls, and
 * the test should go on polling rather than fail; the last error is named if time runs out.
 */
export async function waitForAsync(cond: () => Promise<boolean>, timeoutMs: number, what: string, pollMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      if (await cond()) return;
      last = '';
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
