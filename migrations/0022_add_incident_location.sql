-- Where the incident is, as a point, when the citizen sent a location (with the report or as an
-- addition): WGS 84 degrees. The place (street, settlement) it named, if any, is in place_json as
-- before; the card links the point to a map and Open311 publishes it as lat/long.
ALTER TABLE incidents ADD COLUMN lat REAL;   -- null: no location was sent
ALTER TABLE incidents ADD COLUMN lon REAL;
