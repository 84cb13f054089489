// Plain numeric limits that both the schemas and the client's form rules use. Kept free of
// TypeBox so that a page importing one of them does not pull the schema library into its bundle.

/** Shortest password accepted at registration. */
export const PASSWORD_MIN = 8;

/** Every time the API accepts lies in these years (inclusive): a booking in 1900 or 2200 is a typo or a probe. */
export const TIME_MIN_YEAR = 2000;
export const TIME_MAX_YEAR = 2100;
