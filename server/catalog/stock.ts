/**
 * Stock changes a merchant makes by hand, and the ledger of every change. A catalog upload sets
 * the opening stock of new products only; after that, stock moves by sales and refunds (recorded
 * by triggers, see migration 005) or by an explicit instruction here: never by re-sending a file.
 */
import { z } from 'zod';
import { DomainError } from '../../shared/errors.ts';
import { writeTransaction, type Db } from '../db/database.ts';
import { MAX_STOCK } from './catalog-file.ts';

/** `{ set, reason }` counts the shelf; `{ adjust, reason }` adds or takes away (a delivery, breakage). */
export const stockInstruction = z.object({
  set: z.number().int().min(0).max(MAX_STOCK).optional(),
  adjust: z.number().int().min(-MAX_STOCK).max(MAX_STOCK).refine((n) => n !== 0, 'must not be 0').optional(),
  reason: z.string().trim().min(1, 'is required').max(500),
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
export function recordMovement(db: Db, m: Omit<StockMovement, 'id'>): StockMovement {
  const id = db.prepare(`INSERT INTO stock_movements (product_id, delta, stock_after, actor, reason, created_at)
    VALUES (?, ?, ?, ?, ?, ?)`).run(m.productId, m.delta, m.stockAfter, m.actor, m.reason, m.createdAt).lastInsertRowid;
  return { id: Number(id), ...m };
}

function stockOf(db: Db, productId: string): number {
  const stock = db.prepare('SELECT stock FROM products WHERE id = ?').pluck().get(productId) as number | undefined;
  if (stock === undefined) throw new DomainError('product_not_found', `No product ${productId}.`);
  return stock;
}

/** Applies one instruction to one product (active or not) and records it, all or nothing. Units
 * held by open checkouts are not refused here: the count on the shelf is the merchant's to state,
 * and a checkout whose units are gone by payment time is refunded (fulfil's `stock_gone`). */
export function changeStock(db: Db, productId: string, instruction: StockInstruction, by: { actor: string; now: number }): StockMovement {
  return writeTransaction(db, () => {
    const stock = stockOf(db, productId);
    const after = instruction.set ?? stock + instruction.adjust!;
    if (after < 0 || after > MAX_STOCK) {
      throw new DomainError('validation_failed', `Stock of ${productId} is ${stock}; adjusting by ${instruction.adjust} would make it ${after}.`, { stock, adjust: instruction.adjust });
    }
    db.prepare('UPDATE products SET stock = ? WHERE id = ?').run(after, productId);
    return recordMovement(db, { productId, delta: after - stock, stockAfter: after, actor: by.actor, reason: instruction.reason, createdAt: by.now });
  });
}

/** A product's movements, newest first. */
export function stockHistory(db: Db, productId: string, limit: number): StockMovement[] {
  stockOf(db, productId);
  const rows = db.prepare('SELECT * FROM stock_movements WHERE product_id = ? ORDER BY id DESC LIMIT ?').all(productId, limit) as MovementRow[];
  return rows.map(toMovement);
}
