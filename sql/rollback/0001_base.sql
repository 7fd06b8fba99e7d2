-- Rollback of 0001_base: DROPS THE WHOLE SHOP SCHEMA AND ALL ITS DATA.
--
-- This is the one rollback that loses data; `bazar rollback` runs it only
-- with an explicit --destroy-data. Take a backup first (migrate --backup).
--
-- Kept: public.schema_migrations (the runner's own record, which it updates
-- after this file runs) and the pgcrypto extension (other objects in the
-- database may use it; it holds no data).
DROP TABLE IF EXISTS public.audit_log;
DROP TABLE IF EXISTS public.email_outbox;
DROP TABLE IF EXISTS public.payment_proofs;
DROP TABLE IF EXISTS public.wallet_ledger;
DROP TABLE IF EXISTS public.wallets;
DROP TABLE IF EXISTS public.promo_redemptions;
DROP TABLE IF EXISTS public.product_codes;
DROP TABLE IF EXISTS public.order_items;
DROP TABLE IF EXISTS public.orders;
DROP TABLE IF EXISTS public.promo_codes;
DROP TABLE IF EXISTS public.products;
DROP TABLE IF EXISTS public.sessions;
DROP TABLE IF EXISTS public.users;
