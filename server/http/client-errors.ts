// Requests Node's HTTP parser refuses before Express sees them (headers or URL over 16 kB, a
// malformed request line) get the same `{error: {code, message}}` body as every other refusal,
// instead of Node's bare "431" or "400" without a body. Found by the property-based fuzz.
import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import { ERRORS, errorMessage, type ErrorCode } from "../../shared/errors";

const REASONS: Record<number, string> = { 400: "Bad Request", 408: "Request Timeout", 431: "Request Header Fields Too Large" };

function codeFor(err: NodeJS.ErrnoException): ErrorCode | undefined {
  if (err.code === "HPE_HEADER_OVERFLOW") return "HEADERS_TOO_LARGE";
  if (err.code?.startsWith("HPE_")) return "BAD_REQUEST";
  return undefined; // a reset or timed-out socket: nobody to answer
}

export function answerClientErrors(server: Server): void {
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    const code = codeFor(err);
    if (!code || !socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    // The headers were not read, so the caller's language is unknown: Chinese, the default, and English.
    const body = JSON.stringify({ error: { code, message: `${errorMessage(code, "zh-CN")} (${errorMessage(code, "en")})` } });
    const status = ERRORS[code].status;
    socket.end(
      `HTTP/1.1 ${status} ${REASONS[status] ?? "Error"}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
