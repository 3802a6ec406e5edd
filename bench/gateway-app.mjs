// The application behind nginx in the gateway bench: answers every request with 2 bytes on PORT.
import { createServer } from 'node:http'

createServer((_request, response) => response.end('ok')).listen(Number(process.env.PORT), '127.0.0.1')
