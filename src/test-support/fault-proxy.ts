import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// A loopback proxy in front of a real CouchDB-compatible server that can break on purpose: answer
// 500, answer something that is not JSON, or cut the connection. The server behind it is real
// (pouchdb-server); only the faults are made up, which is the point of a fault test.

export type Fault = 'none' | 'http-500' | 'garbage' | 'drop';

export interface FaultProxy {
  url: string;
  /** The fault for every request from now on; `after` lets that many requests through first. */
  set(fault: Fault, after?: number): void;
  /** Requests seen so far. */
  readonly requests: number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  let fault: Fault = 'none';
  let passes = 0;
  let requests = 0;
  const sockets = new Set<Socket>();
  const upstream = new URL(target);

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };

  const server = createServer((req, res) => {
    requests++;
    const now = passes > 0 ? 'none' : fault;
    if (passes > 0) passes--;
    if (now === 'none') return forward(req, res);
    if (now === 'drop') return req.socket.destroy();
    req.resume();
    if (now === 'http-500') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal_server_error', reason: 'made to fail by the test' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('<html>this is not CouchDB</html>');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set(next, after = 0) {
      fault = next;
      passes = after;
    },
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
