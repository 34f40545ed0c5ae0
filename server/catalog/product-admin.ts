/**
 * Products as the merchant makes and edits them one at a time (the console, the CLI). Stock is
 * not a field here: a new product's opening stock goes into the ledger, and after that stock moves
 * only by sales, refunds and explicit stock instructions (stock.ts).
 */
import { z } from 'zod';
import { DomainError } from '../../shared/errors.ts';
import { sql, type Db } from '../db/database.ts';
import { productDescription, productImage, productInput, type ProductInput } from './catalog-file.ts';
import { toProduct, type ProductRecord } from './catalog.ts';
import { recordMovement } from './stock.ts';

/** An edit names only what changes; no defaults, so an absent field stays as it is. */
export const productChanges = z.object({
  name: productInput.shape.name.optional(),
  description: productDescription.optional(),
  price: productInput.shape.price.optional(),
  image: productImage.optional(),
  active: z.boolean().optional(),
  shippable: z.boolean().optional(),
  stock: z.never({ error: 'stock changes only by a stock instruction (POST /api/admin/products/:id/stock), so no sale is overwritten' }).optional(),
}).refine((c) => Object.values(c).some((v) => v !== undefined), { message: 'name at least one field to change' });

export type ProductChanges = z.infer<typeof productChanges>;

const productNotFound = (id: string) => new DomainError('product_not_found', `No product ${id}.`);

async function read(db: Db, id: string): Promise<ProductRecord | undefined> {
  const row = await db.one<Parameters<typeof toProduct>[0]>(sql`SELECT * FROM products WHERE id = ${id}`);
  return row && toProduct(row);
}

/** Inside the transaction that just wrote it, so it is there. */
async function written(db: Db, id: string): Promise<ProductRecord> {
  const product = await read(db, id);
  if (!product) throw new Error(`product ${id} vanished inside its own transaction`);
  return product;
}

/** A new product, listed after the others, its opening stock recorded as `by.actor`'s. */
export function createProduct(db: Db, input: ProductInput, currency: string, by: { actor: string; now: number }): Promise<ProductRecord> {
  return db.tx(async () => {
    const sort = await db.value<number>(sql`SELECT COALESCE(MAX(sort), -1) + 1 FROM products`);
    // The primary key decides between two creates racing for one id.
    const created = await db.run(sql`INSERT INTO products (id, name, description, price, currency, image, stock, active, shippable, sort)
      VALUES (${input.id}, ${input.name}, ${input.description}, ${input.price}, ${currency}, ${input.image},
        ${input.stock}, ${input.active ? 1 : 0}, ${input.shippable ? 1 : 0}, ${sort}) ON CONFLICT DO NOTHING`);
    if (created !== 1) throw new DomainError('product_exists', `A product ${input.id} exists already: edit it instead.`);
    if (input.stock > 0) {
      await recordMovement(db, { productId: input.id, delta: input.stock, stockAfter: input.stock, actor: by.actor, reason: 'opening stock', createdAt: by.now });
    }
    return written(db, input.id);
  });
}

const columns = { name: 'name', description: 'description', price: 'price', image: 'image', active: 'active', shippable: 'shippable' } as const;

export function updateProduct(db: Db, id: string, changes: ProductChanges): Promise<ProductRecord> {
  return db.tx(async () => {
    if (!await read(db, id)) throw productNotFound(id);
    for (const [field, column] of Object.entries(columns)) {
      const value = changes[field as keyof typeof columns];
      if (value === undefined) continue;
      // Column names come from the constant table above, never from the request.
      await db.run(sql`UPDATE products SET ${sql.ref(column)} = ${typeof value === 'boolean' ? Number(value) : value} WHERE id = ${id}`);
    }
    return written(db, id);
  });
}
