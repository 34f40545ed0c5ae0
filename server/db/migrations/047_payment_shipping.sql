-- What the paid PaymentIntent said it ships to, kept only when that differs from the address the
-- checkout priced (which the order ships to): a page can pass its own `shipping` when it confirms,
-- and Stripe's fraud checks and dispute evidence then see that one. JSON `{ name, address }` (both
-- null when the payment carried none); NULL when they agree or the order ships nothing. Shown to
-- the merchant in the order's history. Numbered 047 to stay clear of numbers other work in flight may take.
ALTER TABLE orders ADD COLUMN payment_shipping TEXT;
