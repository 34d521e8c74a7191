/** The handbook, rendered from docs/ at build time (scripts/handbook/vite-plugin.ts). */
declare module 'virtual:handbook' {
  /** Pages by their path under docs/ (`operations/exceptions.md`), or a folder's list (`decisions/`). */
  export const pages: Record<string, { title: string; html: string }>;
}
