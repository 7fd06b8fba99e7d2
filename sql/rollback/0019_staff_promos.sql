-- Rollback of 0019_staff_promos: drop the Promos screen's list and update.
-- Nothing else was created; 0011's create and on/off stay.
DROP FUNCTION IF EXISTS public.api_staff_promo_update(text, text, timestamptz, timestamptz, bigint, bigint, bigint);
DROP FUNCTION IF EXISTS public.api_staff_promos(text);
