import type { ComponentChild } from 'preact'

/**
 * A catalogue message with its `{name}` placeholders filled by `values` (text or elements,
 * which are escaped like any other child): translations may put the values in any order.
 */
export function Fill({ text, values }: { text: string; values: Record<string, ComponentChild> }) {
  const parts = text.split(/\{([a-z]+)\}/)
  return <>{parts.map((part, index) => (index % 2 === 1 ? values[part] : part))}</>
}

/** The same filling as text, for an attribute (an accessible name): values are text only. */
export function fillText(text: string, values: Record<string, string>): string {
  return text.replace(/\{([a-z]+)\}/g, (placeholder, name: string) => values[name] ?? placeholder)
}
