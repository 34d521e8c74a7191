import { z } from 'zod';

/** A page of a list the engine pages in the ledger: at most 500 rows a request, from an offset. */
export const pageFields = (defaultLimit = 100) => ({
  limit: z.number().int().min(1).max(500).default(defaultLimit),
  offset: z.number().int().min(0).default(0),
});
