import { NotFound } from '../../errors.js'
import type { ConsentRecord, ConsentRepository } from '../../store/port.js'
import type { Sessions } from '../sessions.js'

/** What users allowed third-party clients; withdrawing a consent also ends what it granted. */
export class Consents {
  constructor(
    private readonly consents: ConsentRepository,
    private readonly sessions: Sessions
  ) {}

  list(userId: string): Promise<ConsentRecord[]> {
    return this.consents.listByUser(userId)
  }

  async withdraw(userId: string, clientId: string): Promise<void> {
    if (!(await this.consents.delete(userId, clientId))) throw new NotFound('No consent for this client')
    await this.sessions.revokeClient(clientId, userId)
  }
}
