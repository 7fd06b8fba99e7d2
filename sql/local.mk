## sql/: migrations, rollbacks, preflights, verify checks, seed data.
## Installed under $(pkgdatadir)/sql so an installed bazar finds them.
nobase_dist_pkgdata_DATA += $(sql_files)
sql_files = \
	sql/migrations/0001_base.sql \
	sql/migrations/0002_atomic_functions.sql \
	sql/migrations/0003_indexes_constraints.sql \
	sql/migrations/0003.1_idx_product_codes_available.sql \
	sql/migrations/0003.2_idx_orders_user.sql \
	sql/migrations/0003.3_idx_order_items_order.sql \
	sql/migrations/0003.4_idx_wallet_ledger_wallet.sql \
	sql/migrations/0003.5_idx_promo_redemptions_promo_user.sql \
	sql/migrations/0003.6_idx_email_outbox_pending.sql \
	sql/migrations/0003.7_idx_product_codes_order.sql \
	sql/migrations/0003.9_supabase_compat.sql \
	sql/migrations/0004_security.sql \
	sql/migrations/0005_validate_constraints.sql \
	sql/migrations/0005.1_unique_product_code.sql \
	sql/migrations/0005.2_unique_promo_code_ci.sql \
	sql/migrations/0006_storefront_api.sql \
	sql/rollback/0001_base.sql \
	sql/rollback/0002_atomic_functions.sql \
	sql/rollback/0003_indexes_constraints.sql \
	sql/rollback/0003.1_idx_product_codes_available.sql \
	sql/rollback/0003.2_idx_orders_user.sql \
	sql/rollback/0003.3_idx_order_items_order.sql \
	sql/rollback/0003.4_idx_wallet_ledger_wallet.sql \
	sql/rollback/0003.5_idx_promo_redemptions_promo_user.sql \
	sql/rollback/0003.6_idx_email_outbox_pending.sql \
	sql/rollback/0003.7_idx_product_codes_order.sql \
	sql/rollback/0003.9_supabase_compat.sql \
	sql/rollback/0004_security.sql \
	sql/rollback/0005_validate_constraints.sql \
	sql/rollback/0005.1_unique_product_code.sql \
	sql/rollback/0005.2_unique_promo_code_ci.sql \
	sql/rollback/0006_storefront_api.sql \
	sql/preflight/0005_validate_constraints.sql \
	sql/preflight/0005.1_unique_product_code.sql \
	sql/preflight/0005.2_unique_promo_code_ci.sql \
	sql/verify/0001_base.sql \
	sql/verify/0002_atomic_functions.sql \
	sql/verify/0003_indexes_constraints.sql \
	sql/verify/0003.1_idx_product_codes_available.sql \
	sql/verify/0003.2_idx_orders_user.sql \
	sql/verify/0003.3_idx_order_items_order.sql \
	sql/verify/0003.4_idx_wallet_ledger_wallet.sql \
	sql/verify/0003.5_idx_promo_redemptions_promo_user.sql \
	sql/verify/0003.6_idx_email_outbox_pending.sql \
	sql/verify/0003.7_idx_product_codes_order.sql \
	sql/verify/0003.9_supabase_compat.sql \
	sql/verify/0004_security.sql \
	sql/verify/0005_validate_constraints.sql \
	sql/verify/0005.1_unique_product_code.sql \
	sql/verify/0005.2_unique_promo_code_ci.sql \
	sql/verify/0006_storefront_api.sql \
	sql/seed/demo.sql
