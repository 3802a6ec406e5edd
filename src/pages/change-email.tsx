import { ACCOUNT_PATH, Frame } from './frame.js'
import { renderDocument } from './render.js'
import { Fill } from './text.js'
import type { PageView } from './view.js'

/**
 * The pages the link mailed to a new address opens (GET/POST /auth/email/change): a question
 * with one button, since a mail scanner's GET must change nothing; then what came of it.
 */

export const CHANGE_ACTION = '/auth/email/change'

function ToAccount({ view }: { view: PageView }) {
  return (
    <p class="other-way">
      <a href={ACCOUNT_PATH}>{view.t.changeEmail.toAccount}</a>
    </p>
  )
}

export function confirmEmailChangePage(view: PageView, options: { csrfToken: string; token: string; email: string }): string {
  const t = view.t.changeEmail
  return renderDocument(
    <Frame view={view} title={t.confirmTitle}>
      <p>
        <Fill text={t.confirm} values={{ email: <strong>{options.email}</strong> }} />
      </p>
      <form method="post" action={CHANGE_ACTION}>
        <input type="hidden" name="_csrf" value={options.csrfToken} />
        <input type="hidden" name="token" value={options.token} />
        <button type="submit">{t.submit}</button>
      </form>
    </Frame>
  )
}

/** What following the link came to: the address changed, a dead link, or an address another account took meanwhile. */
export function emailChangeAnswerPage(view: PageView, answer: { outcome: 'changed' | 'taken'; email: string } | { outcome: 'invalid' }): string {
  const t = view.t.changeEmail
  const [title, text] = answer.outcome === 'changed' ? [t.doneTitle, t.done] : answer.outcome === 'taken' ? [t.takenTitle, t.taken] : [t.invalidTitle, t.invalid]
  return renderDocument(
    <Frame view={view} title={title}>
      <p role={answer.outcome === 'changed' ? 'status' : 'alert'}>{answer.outcome === 'invalid' ? text : <Fill text={text} values={{ email: <strong>{answer.email}</strong> }} />}</p>
      <ToAccount view={view} />
    </Frame>
  )
}
