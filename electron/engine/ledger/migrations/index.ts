import { m001Core } from './001-core';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Numbered, append-only. A flow that needs tables adds the next number here. */
export const MIGRATIONS: readonly Migration[] = [m001Core];
