/** What the test server does for a path. */
export type Route =
  | { body: Uint8Array }
  | { status: number }
  /** Promise `body.length` bytes, send `sendBytes` of them, then close the connection. */
  | { body: Uint8Array; dropAfter: number };

/**
 * A minimal HTTP/1.1 server on 127.0.0.1 (raw TCP so a test can drop a connection mid-body,
 * which a framework would not let it do). Close it with `await server.close()`.
 */
export function startServer(routes: Record<string, Route>): {
  url: string;
  requests: string[];
  close: () => Promise<void>;
} {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const requests: string[] = [];
  const handlers: Promise<void>[] = [];
  const serve = async (conn: Deno.Conn) => {
    try {
      const buf = new Uint8Array(4096);
      let head = "";
      while (!head.includes("\r\n\r\n")) {
        const n = await conn.read(buf);
        if (n === null) return;
        head += new TextDecoder().decode(buf.subarray(0, n));
      }
      const path = head.split(" ")[1];
      requests.push(path);
      const route = routes[path] ?? { status: 404 };
      const enc = new TextEncoder();
      if ("status" in route) {
        await conn.write(
          enc.encode(
            `HTTP/1.1 ${route.status} Nope\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`,
          ),
        );
        return;
      }
      await conn.write(
        enc.encode(
          `HTTP/1.1 200 OK\r\ncontent-length: ${route.body.length}\r\nconnection: close\r\n\r\n`,
        ),
      );
      const send = "dropAfter" in route ? route.body.subarray(0, route.dropAfter) : route.body;
      let at = 0;
      while (at < send.length) at += await conn.write(send.subarray(at));
    } catch {
      // the client may hang up first; nothing to do
    } finally {
      try {
        conn.close();
      } catch { /* already closed */ }
    }
  };
  const accepting = (async () => {
    for await (const conn of listener) handlers.push(serve(conn));
  })();
  const { port } = listener.addr as Deno.NetAddr;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      listener.close();
      await accepting.catch(() => {});
      await Promise.all(handlers);
    },
  };
}
