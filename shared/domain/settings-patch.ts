import { z } from 'zod';

/**
 * The patch schema of a settings group: every field optional, checked like the settings themselves, with the
 * defaults removed so a patch never resets what it does not name. Nested groups are replaced whole.
 */
export function patchSchemaOf<S extends z.ZodObject>(schema: S): z.ZodType<Partial<z.infer<S>>> {
  return z
    .object(
      Object.fromEntries(
        Object.entries(schema.shape).map(([key, field]) => [key, ((field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType).optional()]),
      ),
    )
    .strict() as unknown as z.ZodType<Partial<z.infer<S>>>;
}
