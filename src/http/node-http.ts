import { createRequire } from 'node:module'

/**
 * node:http by require, not by import: on Node 26 an ES import of node:http reads every export, and
 * the WebSocket, CloseEvent and MessageEvent getters among them load undici (3 MB of heap and more
 * of the binary's pages) that nothing here uses. Types still come from `import type`.
 */
const http = createRequire(import.meta.url)('node:http') as typeof import('node:http')

export const { STATUS_CODES, createServer, validateHeaderValue } = http
