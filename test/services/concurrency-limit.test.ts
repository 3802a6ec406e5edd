import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ConcurrencyLimit } from '../../src/services/concurrency-limit.js'

/** A task that starts when the limit lets it and ends when the test says so. */
function gatedTask(started: number[], id: number) {
  let finish!: () => void
  const done = new Promise<void>((resolve) => (finish = resolve))
  return { finish, task: async () => (started.push(id), await done, id) }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('ConcurrencyLimit', () => {
  test('runs at most its limit at once, the rest in arrival order as places free up', async () => {
    const limit = new ConcurrencyLimit(2)
    const started: number[] = []
    const tasks = [0, 1, 2, 3, 4].map((id) => gatedTask(started, id))
    const results = tasks.map(({ task }) => limit.run(task))
    await settle()
    assert.deepEqual(started, [0, 1])
    tasks[1]!.finish()
    await settle()
    assert.deepEqual(started, [0, 1, 2])
    tasks[0]!.finish()
    tasks[2]!.finish()
    await settle()
    assert.deepEqual(started, [0, 1, 2, 3, 4])
    tasks[3]!.finish()
    tasks[4]!.finish()
    assert.deepEqual(await Promise.all(results), [0, 1, 2, 3, 4])
  })

  test('a task that fails frees its place and its error reaches the caller', async () => {
    const limit = new ConcurrencyLimit(1)
    await assert.rejects(limit.run(() => Promise.reject(new Error('bcrypt failed'))), /bcrypt failed/)
    assert.equal(await limit.run(async () => 'next'), 'next')
  })
})
