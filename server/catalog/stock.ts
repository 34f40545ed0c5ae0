/**
 * Stock changes a merchant makes by hand, and the ledger of every change. A catalog upload sets
 * the opening stock of new products only; after that, stock moves by sales and refunds (recorded
 * by triggers, see migration 005) or by an explicit instruction here: never by re-sending a file.
 */
import { z } from 'zod';
import { noControlCharacters } from '../../shared/api.ts';
import { DomainError } from '../../shared/errors.ts';
import { sql, type Db } from '../db/database.ts';
import { MAX_STOCK } from './catalog-file.ts';

/** `{ set, reason }` counts the shelf; `{ adjust, reason }` adds or takes away (a delivery, breakage). */
export const stockInstruction = z.object({
  set: z.number().int().min(0).max(MAX_STOCK).optional(),
  adjust: z.number().int().min(-MAX_STOCK).max(MAX_STOCK).refine((n) => n !== 0, 'must not be 0').optional(),
  reason: noControlCharacters(z.string().trim().min(1, 'is required').max(500)),
}).refine((i) => (i.set === undefined) !== (i.adjust === undefined), { message: 'give exactly one of set or adjust', path: ['set'] });

export type StockInstruction = z.infer<typeof stockInstruction>;

export interface StockMovement {
  id: number;
  productId: string;
  delta: number;
  stockAfter: number;
  /** 'admin', 'catalog-upload', 'order:<order id>' or 'migration'. */
  actor: string;
  reason: string;
  createdAt: number;
}

interface MovementRow { id: number; product_id: string; delta: number; stock_after: number; actor: string; reason: string; created_at: number }

const toMovement = (r: MovementRow): StockMovement => ({
  id: r.id, productId: r.product_id, delta: r.delta, stockAfter: r.stock_after, actor: r.actor, reason: r.reason, createdAt: r.created_at,
});

/** Call inside a write transaction, after the stock changed. */
export async function recordMovement(db: Db, m: Omit<StockMovement, 'id'>): Promise<StockMovement> {
  const id = await db.value<number>(sql`INSERT INTO stock_movements (product_id, delta, stock_after, actor, reason, created_at)
    VALUES (${m.productId}, ${m.delta}, ${m.stockAfter}, ${m.actor}, ${m.reason}, ${m.createdAt}) RETURNING id`);
  return { id: Number(id), ...m };
}

async function stockOf(db: Db, productId: string, lock = false): Promise<number> {
  const stock = await db.value<number>(sql`SELECT stock FROM products WHERE id = ${productId} ${lock ? db.forUpdate : sql``}`);
  if (stock === undefined) throw new DomainError('product_not_found', `No product ${productId}.`);
  return stock;
}

/** Applies one instruction to one product (active or not) and records it, all or nothing. Units
 * held by open checkouts are not refused here: the count on the shelf is the merchant's to state,
 * and a checkout whose units are gone by payment time is refunded (fulfil's `stock_gone`). */
export function changeStock(db: Db, productId: string, instruction: StockInstruction, by: { actor: string; now: number }): Promise<StockMovement> {
  return db.tx(async () => {
    // Locked: a sale between this read and the write would otherwise be overwritten by `set`.
    const stock = await stockOf(db, productId, true);
    const after = instruction.set ?? stock + instruction.adjust!;
    if (after < 0 || after > MAX_STOCK) {
      throw new DomainError('validation_failed', `Stock of ${productId} is ${stock}; adjusting by ${instruction.adjust} would make it ${after}.`, { stock, adjust: instruction.adjust });
    }
    await db.run(sql`UPDATE products SET stock = ${after} WHERE id = ${productId}`);
    return recordMovement(db, { productId, delta: after - stock, stockAfter: after, actor: by.actor, reason: instruction.reason, createdAt: by.now });
  });
}

/** A product's movements, newest first. */
export async function stockHistory(db: Db, productId: string, limit: number): Promise<StockMovement[]> {
  await stockOf(db, productId);
  const rows = await db.all<MovementRow>(sql`SELECT * FROM stock_movements WHERE product_id = ${productId} ORDER BY id DESC LIMIT ${limit}`);
  return rows.map(toMovement);
}
