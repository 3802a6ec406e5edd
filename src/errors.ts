/**
 * Errors named after what they mean. The error-handler plugin maps every one of them
 * to the JSON answer `{statusCode, error, message}` in one place.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string
  ) {
    super(message)
    this.name = new.target.name
  }
}

export class InvalidInput extends AppError {
  constructor(message: string) {
    super(400, 'Bad Request', message)
  }
}

/** Missing, malformed, expired or revoked credentials. Says nothing about which. */
export class Unauthenticated extends AppError {
  constructor(message = 'Invalid credentials') {
    super(401, 'Unauthorized', message)
  }
}

export class Forbidden extends AppError {
  constructor(message: string) {
    super(403, 'Forbidden', message)
  }
}

export class NotFound extends AppError {
  constructor(message: string) {
    super(404, 'Not Found', message)
  }
}

export class Conflict extends AppError {
  constructor(message: string) {
    super(409, 'Conflict', message)
  }
}

export class TooManyAttempts extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'Too Many Requests', `Too many failed attempts, retry in ${retryAfterSeconds} seconds`)
  }
}
