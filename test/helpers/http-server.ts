/** A loopback HTTP server for one test file, with handlers per path. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export async function loopbackServer(
  handlers: Record<string, Handler>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const handler = handlers[(request.url ?? '/').split('?')[0]!];
    if (handler) handler(request, response);
    else {
      response.writeHead(404);
      response.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
