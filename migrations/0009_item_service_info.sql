-- The service information the centre sends with each item (materials, promised time, fees,
-- where to ask; src/shared/service-info.ts), kept as JSON text; null when there is none.
ALTER TABLE service_items ADD COLUMN service_info TEXT;
