import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, test } from 'node:test'

/**
 * The README is the front page and docs/ holds the reference: every relative link in them must
 * lead to a file that exists (and to a heading that exists, when it names one), and every page in
 * docs/ must be linked from the README, so none is orphaned.
 */

/** The repository: the nearest folder above this file that holds package.json (works from test/ and dist/test/). */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('no package.json above the test')
    dir = parent
  }
  return dir
}

/** Markdown without fenced code blocks and inline code, where brackets are not links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '')
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
  for (const match of withoutFences.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = match[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
      .replace(/ /g, '-')
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    anchors.add(count === 0 ? base : `${base}-${count}`)
  }
  return anchors
}

/** The targets of inline links `[text](target)` in a Markdown text, outside code. */
export function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!)
}

/** Every problem with the links of README.md and docs/*.md under `root`; empty when all is well. */
export function linkProblems(root: string): string[] {
  const problems: string[] = []
  const docsDir = join(root, 'docs')
  const pages = existsSync(docsDir) ? readdirSync(docsDir).filter((name) => name.endsWith('.md')).map((name) => join(docsDir, name)) : []
  const readme = join(root, 'README.md')
  const files = [readme, ...pages]
  const linkedFromReadme = new Set<string>()
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const from = relative(root, file)
    for (const target of linkTargets(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // http:, https:, mailto: ...
      const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined]
      const path = pathPart === '' ? file : resolve(dirname(file), decodeURI(pathPart))
      if (!existsSync(path)) {
        problems.push(`${from}: broken link ${target} (no file ${relative(root, path)})`)
        continue
      }
      if (file === readme) linkedFromReadme.add(path)
      if (anchor !== undefined && anchor !== '') {
        if (!path.endsWith('.md') || statSync(path).isDirectory()) {
          problems.push(`${from}: link ${target} names a heading in a file that is not Markdown`)
        } else if (!headingAnchors(readFileSync(path, 'utf8')).has(decodeURIComponent(anchor).toLowerCase())) {
          problems.push(`${from}: link ${target}: ${relative(root, path)} has no heading #${anchor}`)
        }
      }
    }
  }
  for (const page of pages) {
    if (!linkedFromReadme.has(page)) problems.push(`README.md does not link ${relative(root, page)} (an orphaned page)`)
  }
  return problems
}

describe('the README and docs/', () => {
  test('every relative link resolves and every docs page is linked from the README', () => {
    const root = repositoryRoot()
    const pages = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md'))
    assert.ok(pages.length >= 10, `expected the reference pages in docs/, found ${pages.length}`)
    assert.deepEqual(linkProblems(root), [])
  })

  test('the README starts with the two commands: install and start, install and test', () => {
    const readme = readFileSync(join(repositoryRoot(), 'README.md'), 'utf8')
    const blocks = [...readme.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((m) => m[1]!.trim())
    assert.deepEqual(blocks.slice(0, 2), ['npm ci && npm start', 'npm ci && npm test'])
  })

  test('the check finds a broken link, a missing heading and an orphaned page', () => {
    const root = mkdtempSync(join(tmpdir(), 'moneypenny-docs-'))
    try {
      mkdirSync(join(root, 'docs'))
      writeFileSync(
        join(root, 'README.md'),
        '# Front\n\n[a](docs/a.md) [gone](docs/gone.md) [heading](docs/a.md#no-such-heading) [ok](docs/a.md#the-seeds-endpoints-1)\n' +
          '[web](https://example.com) `[not a link](nowhere.md)`\n\n```sh\n[nor this](nowhere.md)\n```\n'
      )
      writeFileSync(join(root, 'docs', 'a.md'), "# A\n\n## The seeds' endpoints\n\n## The seeds' endpoints\n\n[back](../README.md#front) [self](#a)\n")
      writeFileSync(join(root, 'docs', 'orphan.md'), '# Orphan\n\n[up](../README.md)\n')
      assert.deepEqual(linkProblems(root), [
        'README.md: broken link docs/gone.md (no file docs/gone.md)',
        'README.md: link docs/a.md#no-such-heading: docs/a.md has no heading #no-such-heading',
        'README.md does not link docs/orphan.md (an orphaned page)'
      ])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
