-- Disputes a cardholder opened against a payment (Stripe's charge.dispute.created). The order they
-- are about is marked for the merchant (needs_attention, reason 'disputed'); each dispute is kept
-- once, with what the merchant needs to answer it in Stripe's dashboard before evidence_due_by.
CREATE TABLE disputes (
  id                TEXT PRIMARY KEY,
  order_id          TEXT NOT NULL REFERENCES orders (id),
  payment_intent_id TEXT NOT NULL,
  charge_id         TEXT NOT NULL,
  amount            INTEGER NOT NULL CHECK (amount >= 0),
  currency          TEXT NOT NULL,
  reason            TEXT NOT NULL,
  status            TEXT NOT NULL,
  evidence_due_by   INTEGER,
  created_at        INTEGER NOT NULL
);
CREATE INDEX disputes_order ON disputes (order_id);
