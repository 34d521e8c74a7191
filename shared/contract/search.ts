import { z } from 'zod';

/** One record the header's search found, and where the console shows it. */
export const SearchHitSchema = z.object({
  kind: z.enum(['order', 'despatch', 'sku']),
  key: z.string(),
  /** What matched, in words: "Customer's number 000000105", "SAP Invoice 4012", "Tracking JD0002…". */
  matched: z.string(),
  /** The console address that opens it: '#/orders/000000105-A'. */
  address: z.string(),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const searchQueries = {
  'search.records': {
    request: z.object({ text: z.string().trim().min(1).max(100) }).strict(),
    response: z.array(SearchHitSchema),
  },
} as const;
