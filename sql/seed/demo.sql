-- Demo data for a real-looking shop. Loaded by `bazar seed-demo` (which
-- refuses to touch any database but the private one without --force, since
-- it creates a staff user with a documented password).
--
-- Demo accounts (passwords are public; never load this into a real shop):
--   alice@example.com  alice-demo-pass   customer, wallet 250.00
--   bob@example.com    bob-demo-pass     customer, empty wallet
--   staff@example.com  staff-demo-pass   staff
-- Promos: WELCOME10 (10 %), SAVE50 (50.00 off), ONCE5 (5.00 off, single
-- use), LUCKY3 (15 %, three uses in all), SPRING20 (20 %, expired).
-- Stock: 13 products in four categories, 60 codes each, except Celeste with
-- exactly 3 codes (to see "out of stock" quickly).
--
-- Idempotent: fixed ids and natural keys, so running it again adds nothing
-- and never undoes what the demo shop did since (sold codes stay sold,
-- spent balances stay spent). Run as the owner role on a fully migrated
-- database: RLS is enabled but not forced, so the owner sees every row.
-- Contains no transaction control: a single PQexec of the whole file runs
-- it as one implicit transaction.

INSERT INTO public.products (id, name, description, category, price_cents)
VALUES
	('10000000-0000-4000-8000-000000000001', 'Steam Gift Card 20.00', 'Steam wallet code, redeemable worldwide.', 'Gift cards', 2000),
	('10000000-0000-4000-8000-000000000002', 'Steam Gift Card 50.00', 'Steam wallet code, redeemable worldwide.', 'Gift cards', 5000),
	('10000000-0000-4000-8000-000000000003', 'Google Play 15.00', 'Google Play balance code.', 'Gift cards', 1500),
	('10000000-0000-4000-8000-000000000004', 'PlayStation Store 25.00', 'PlayStation Store wallet top-up.', 'Gift cards', 2500),
	('10000000-0000-4000-8000-000000000005', 'Stardew Valley', 'Farming life sim, PC key.', 'Games', 1399),
	('10000000-0000-4000-8000-000000000006', 'Hades', 'Roguelike dungeon crawler, PC key.', 'Games', 2499),
	('10000000-0000-4000-8000-000000000007', 'Celeste', 'Precision platformer, PC key. Almost sold out.', 'Games', 1999),
	('10000000-0000-4000-8000-000000000008', 'Hollow Knight', 'Hand-drawn action adventure, PC key.', 'Games', 1499),
	('10000000-0000-4000-8000-000000000009', 'Music Premium 3 months', 'Ad-free music streaming, 3 months.', 'Streaming', 2997),
	('10000000-0000-4000-8000-00000000000a', 'Video Streaming 1 month', 'HD video streaming, 1 month.', 'Streaming', 1299),
	('10000000-0000-4000-8000-00000000000b', 'Antivirus Pro 1 year', 'One device, one year.', 'Software', 2999),
	('10000000-0000-4000-8000-00000000000c', 'VPN 12 months', 'Up to five devices, twelve months.', 'Software', 4999),
	('10000000-0000-4000-8000-00000000000d', 'Photo Editor Pro', 'Perpetual licence, one seat.', 'Software', 7999)
ON CONFLICT (id) DO NOTHING;

-- Codes look like STM20-0001-1A2B3C4D; created_at is spread by a second per
-- code so the claim order (created_at, id) matches the numbering.
INSERT INTO public.product_codes (product_id, code, created_at)
SELECT s.product_id,
       s.prefix || '-' || lpad(n::text, 4, '0') || '-'
           || upper(substr(md5(s.product_id::text || ':' || n), 1, 8)),
       timestamptz '2024-01-01 00:00:00+00' + n * interval '1 second'
FROM (VALUES
	('10000000-0000-4000-8000-000000000001'::uuid, 'STM20', 60),
	('10000000-0000-4000-8000-000000000002'::uuid, 'STM50', 60),
	('10000000-0000-4000-8000-000000000003'::uuid, 'GPL15', 60),
	('10000000-0000-4000-8000-000000000004'::uuid, 'PSN25', 60),
	('10000000-0000-4000-8000-000000000005'::uuid, 'STDV', 60),
	('10000000-0000-4000-8000-000000000006'::uuid, 'HADES', 60),
	('10000000-0000-4000-8000-000000000007'::uuid, 'CLST', 3),
	('10000000-0000-4000-8000-000000000008'::uuid, 'HKNT', 60),
	('10000000-0000-4000-8000-000000000009'::uuid, 'MUS3M', 60),
	('10000000-0000-4000-8000-00000000000a'::uuid, 'VID1M', 60),
	('10000000-0000-4000-8000-00000000000b'::uuid, 'AVPRO', 60),
	('10000000-0000-4000-8000-00000000000c'::uuid, 'VPN12', 60),
	('10000000-0000-4000-8000-00000000000d'::uuid, 'PHOTO', 60)
) AS s (product_id, prefix, codes)
CROSS JOIN LATERAL generate_series(1, s.codes) AS n
WHERE NOT EXISTS (
	SELECT 1 FROM public.product_codes AS pc
	WHERE pc.product_id = s.product_id
	  AND pc.code = s.prefix || '-' || lpad(n::text, 4, '0') || '-'
	                || upper(substr(md5(s.product_id::text || ':' || n), 1, 8))
);

-- bcrypt with cost 8: quick enough for a demo login, still bcrypt.
INSERT INTO public.users (id, email, password_hash, display_name, is_staff, email_confirmed_at)
SELECT u.id, u.email, crypt(u.pw, gen_salt('bf', 8)), u.display_name, u.is_staff, now()
FROM (VALUES
	('20000000-0000-4000-8000-000000000001'::uuid, 'alice@example.com', 'alice-demo-pass', 'Alice', false),
	('20000000-0000-4000-8000-000000000002'::uuid, 'bob@example.com', 'bob-demo-pass', 'Bob', false),
	('20000000-0000-4000-8000-000000000003'::uuid, 'staff@example.com', 'staff-demo-pass', 'Shop staff', true)
) AS u (id, email, pw, display_name, is_staff)
WHERE NOT EXISTS (SELECT 1 FROM public.users AS x WHERE lower(x.email) = lower(u.email) OR x.id = u.id);

INSERT INTO public.wallets (id, user_id, balance_cents)
SELECT w.id, w.user_id, w.balance_cents
FROM (VALUES
	('30000000-0000-4000-8000-000000000001'::uuid, '20000000-0000-4000-8000-000000000001'::uuid, 25000::bigint),
	('30000000-0000-4000-8000-000000000002'::uuid, '20000000-0000-4000-8000-000000000002'::uuid, 0::bigint)
) AS w (id, user_id, balance_cents)
WHERE EXISTS (SELECT 1 FROM public.users AS u WHERE u.id = w.user_id)
ON CONFLICT DO NOTHING;

-- Alice's balance has a history: one top-up, recorded only with her wallet.
INSERT INTO public.wallet_ledger (id, wallet_id, amount_cents, balance_after_cents, reason)
SELECT '31000000-0000-4000-8000-000000000001', w.id, 25000, 25000, 'demo top-up'
FROM public.wallets AS w
WHERE w.id = '30000000-0000-4000-8000-000000000001'
  AND NOT EXISTS (SELECT 1 FROM public.wallet_ledger AS l
                  WHERE l.id = '31000000-0000-4000-8000-000000000001');

-- WELCOME10 and SAVE50 normally exist already (0002 adds them).
INSERT INTO public.promo_codes (code, discount_type, discount_value, max_uses, valid_from, valid_until)
SELECT p.code, p.discount_type, p.discount_value, p.max_uses, p.valid_from, p.valid_until
FROM (VALUES
	('WELCOME10', 'percentage', 10::bigint, NULL::bigint, NULL::timestamptz, NULL::timestamptz),
	('SAVE50', 'fixed', 5000, NULL, NULL, NULL),
	('ONCE5', 'fixed', 500, 1, NULL, NULL),
	('LUCKY3', 'percentage', 15, 3, NULL, NULL),
	('SPRING20', 'percentage', 20, NULL, timestamptz '2024-03-01 00:00:00+00', timestamptz '2024-06-01 00:00:00+00')
) AS p (code, discount_type, discount_value, max_uses, valid_from, valid_until)
WHERE NOT EXISTS (SELECT 1 FROM public.promo_codes AS x WHERE lower(x.code) = lower(p.code));

-- Where demo shoppers "send" bank transfers (a sample IBAN of the
-- German format; no real account).
INSERT INTO public.shop_bank_account (account_holder, iban, bic, bank_name)
VALUES ('Bazar Demo GmbH', 'DE89370400440532013000', 'COBADEFFXXX', 'Demo Bank')
ON CONFLICT (singleton) DO NOTHING;
