// Vitest setup: nothing here talks to a backend; tests mock src/api.ts.

// async-validator reports every failed rule on console.warn; the UI shows them itself.
;(globalThis as Record<string, unknown>).ASYNC_VALIDATOR_NO_WARNING = 1
