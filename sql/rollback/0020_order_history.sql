-- Rollback of 0020_order_history: drop the staff's order history function.
-- It reads only; nothing else was created.
DROP FUNCTION IF EXISTS public.api_staff_order_history(text, uuid);
