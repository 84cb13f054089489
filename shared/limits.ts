// Plain numeric limits that both the schemas and the client's form rules use. Kept free of
// TypeBox so that a page importing one of them does not pull the schema library into its bundle.

/** Shortest password accepted at registration. */
export const PASSWORD_MIN = 8;
