-- Rollback of 0017_client_events: drop the Health screen's functions and
-- the clients' events table (the events are measurements, not the shop's
-- data: nothing else refers to them).
DROP FUNCTION IF EXISTS public.api_staff_health_rates(text, integer);
DROP FUNCTION IF EXISTS public.api_staff_health_series(text, integer);
DROP FUNCTION IF EXISTS public.api_staff_health(text, integer);
DROP FUNCTION IF EXISTS public.api_record_client_events(text[], text[], text[], bigint[], integer[], integer[]);
DROP TABLE IF EXISTS public.client_events;
