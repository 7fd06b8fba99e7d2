-- 0001_base: the shop's schema as the web shop had it BEFORE the race fixes.
--
-- Deliberately without the constraints the fixes add (status lists,
-- non-negative money, unique code per product, case-insensitive promo codes):
-- a live shop being fixed has exactly this schema, and bad rows in it.
-- 0002..0005.2 bring it up to date without losing a row.
--
-- Conventions for every table: uuid primary keys from gen_random_uuid(),
-- money as bigint minor units (cents), timestamps as timestamptz.
-- Safe to run twice; pasteable into any SQL editor (no psql meta-commands).

-- crypt()/gen_salt() for bcrypt password hashes. pgcrypto is a trusted
-- extension, so the database owner may create it without superuser.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- The migration runner creates this table itself with the same definition;
-- it is here too so that pasting the files into an SQL editor works.
CREATE TABLE IF NOT EXISTS public.schema_migrations (
	version text PRIMARY KEY,
	name text NOT NULL,
	checksum text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now(),
	applied_by text NOT NULL DEFAULT current_user,
	-- The runner's definition, kept identical; milliseconds fit an integer.
	-- squawk-ignore prefer-bigint-over-int
	execution_ms integer
);

CREATE TABLE IF NOT EXISTS public.users (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	email text NOT NULL,
	password_hash text NOT NULL,          -- bcrypt: crypt(pw, gen_salt('bf', N))
	display_name text NOT NULL DEFAULT '',
	is_staff boolean NOT NULL DEFAULT false,
	email_confirmed_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now()
);

-- E-mail addresses compare case-insensitively. The table is created just
-- above, so this build is instant and needs no CONCURRENTLY.
CREATE UNIQUE INDEX IF NOT EXISTS users_email_lower_key ON public.users (lower(email));

CREATE TABLE IF NOT EXISTS public.sessions (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	token_hash bytea NOT NULL UNIQUE,     -- sha256 of the token; the token itself is never stored
	user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	revoked_at timestamptz
);

CREATE TABLE IF NOT EXISTS public.products (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	name text NOT NULL,
	description text NOT NULL DEFAULT '',
	category text NOT NULL DEFAULT 'Uncategorised',
	price_cents bigint NOT NULL,
	is_active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now()
);

-- Promo codes were unique only case-sensitively ('summer5' and 'SUMMER5'
-- could both exist); 0005.2 adds the case-insensitive uniqueness.
CREATE TABLE IF NOT EXISTS public.promo_codes (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	code text NOT NULL UNIQUE,
	discount_type text NOT NULL,          -- 'percentage' | 'fixed'
	discount_value bigint NOT NULL,       -- percent (1..100) or cents
	min_order_cents bigint NOT NULL DEFAULT 0,
	max_uses bigint,                      -- NULL = unlimited
	used_count bigint NOT NULL DEFAULT 0,
	per_user_limit bigint,                -- NULL = unlimited
	valid_from timestamptz,               -- NULL = always
	valid_until timestamptz,              -- exclusive; NULL = never expires
	is_active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.orders (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id uuid NOT NULL REFERENCES public.users (id),
	status text NOT NULL DEFAULT 'pending',
	payment_method text NOT NULL DEFAULT 'wallet',
	subtotal_cents bigint NOT NULL DEFAULT 0,
	discount_cents bigint NOT NULL DEFAULT 0,
	total_cents bigint NOT NULL DEFAULT 0,
	promo_id uuid REFERENCES public.promo_codes (id),
	idempotency_key text,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.order_items (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	order_id uuid NOT NULL REFERENCES public.orders (id) ON DELETE CASCADE,
	product_id uuid NOT NULL REFERENCES public.products (id),
	quantity bigint NOT NULL,
	unit_price_cents bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS public.product_codes (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	product_id uuid NOT NULL REFERENCES public.products (id),
	code text NOT NULL,
	status text NOT NULL DEFAULT 'available',   -- 'available' | 'sold' | 'void'
	order_id uuid REFERENCES public.orders (id),
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.promo_redemptions (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	promo_id uuid NOT NULL REFERENCES public.promo_codes (id),
	user_id uuid NOT NULL REFERENCES public.users (id),
	order_id uuid REFERENCES public.orders (id),
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.wallets (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id uuid NOT NULL UNIQUE REFERENCES public.users (id),
	balance_cents bigint NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- Append-only: every balance change with the balance it left behind.
CREATE TABLE IF NOT EXISTS public.wallet_ledger (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	wallet_id uuid NOT NULL REFERENCES public.wallets (id),
	amount_cents bigint NOT NULL,         -- positive = credit, negative = debit
	balance_after_cents bigint NOT NULL,
	reason text NOT NULL,
	order_id uuid REFERENCES public.orders (id),
	created_at timestamptz NOT NULL DEFAULT now()
);

-- Bank-transfer receipts uploaded by customers, checked by staff.
CREATE TABLE IF NOT EXISTS public.payment_proofs (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	order_id uuid NOT NULL REFERENCES public.orders (id),
	reference text NOT NULL,
	file_name text NOT NULL,
	content_type text NOT NULL,
	size_bytes bigint NOT NULL,
	sha256 bytea NOT NULL,
	image bytea NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);

-- Transactional outbox: a mail is queued in the same transaction as the
-- change it reports, then sent by a worker holding a lease. The fencing
-- token lets the provider call reject a worker whose lease has expired.
CREATE TABLE IF NOT EXISTS public.email_outbox (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	kind text NOT NULL,
	to_address text NOT NULL,
	subject text NOT NULL,
	body_text text NOT NULL,
	payload jsonb NOT NULL DEFAULT '{}'::jsonb,
	status text NOT NULL DEFAULT 'pending',
	attempts bigint NOT NULL DEFAULT 0,
	next_attempt_at timestamptz NOT NULL DEFAULT now(),
	lease_until timestamptz,
	fencing_token bigint NOT NULL DEFAULT 0,
	provider_message_id text,
	last_error text,
	order_id uuid REFERENCES public.orders (id),
	created_at timestamptz NOT NULL DEFAULT now(),
	sent_at timestamptz
);

-- No foreign key on actor_user_id: the audit trail outlives the users.
CREATE TABLE IF NOT EXISTS public.audit_log (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	at timestamptz NOT NULL DEFAULT now(),
	actor_user_id uuid,
	action text NOT NULL,
	entity text NOT NULL,
	entity_id text,
	details jsonb NOT NULL DEFAULT '{}'::jsonb
);
