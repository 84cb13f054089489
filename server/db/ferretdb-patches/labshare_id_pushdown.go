// Added to FerretDB v1.24.2's SQLite backend by labshare's build (server/db/ferretdb-build.ts,
// see docs/database.md "Patched FerretDB"). Copied into
// vendor/github.com/FerretDB/FerretDB/internal/backends/sqlite/ before `go build`.

package sqlite

import (
	"fmt"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// idPushdownMaxValues bounds the IN list well below SQLite's 32766 host parameters;
// a longer $in is not pushed down (all rows are read, as in stock FerretDB).
const idPushdownMaxValues = 10000

// prepareIDWhereClause returns a WHERE clause that keeps only the rows whose _id can satisfy the
// filter's top-level _id condition, so that SQLite reads them through the unique _id index:
// {_id: v}, {_id: {$eq: v}} or {_id: {$in: [v, ...]}} with string or ObjectId values, next to
// any other conditions (top-level conditions are AND-ed). The clause only narrows: the handler
// still applies the whole filter to every returned document. ok is false (and the clause
// empty) when the filter has no such condition.
func prepareIDWhereClause(filter *types.Document) (clause string, args []any, ok bool) {
	cond, found := uniqueValue(filter, "_id")
	if !found {
		return "", nil, false
	}

	values, ok := idCandidates(cond)
	if !ok {
		return "", nil, false
	}

	if len(values) == 0 {
		// {_id: {$in: []}} matches nothing.
		return " WHERE 0", nil, true
	}

	seen := make(map[string]struct{}, len(values))
	placeholders := make([]string, 0, len(values))
	args = make([]any, 0, len(values))

	for _, v := range values {
		// Same encoding as the stored document, as in stock FerretDB's {_id: v} pushdown.
		arg := string(must.NotFail(sjson.MarshalSingleValue(v)))
		if _, dup := seen[arg]; dup {
			continue
		}

		seen[arg] = struct{}{}
		placeholders = append(placeholders, "?")
		args = append(args, arg)
	}

	if len(args) == 1 {
		return fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn), args, true
	}

	return fmt.Sprintf(` WHERE %s IN (%s)`, metadata.IDColumn, strings.Join(placeholders, ", ")), args, true
}

// idCandidates returns the only _id values an _id condition can match, or ok = false if it
// is not one of the recognised shapes (then nothing is pushed down).
func idCandidates(cond any) (values []any, ok bool) {
	switch cond := cond.(type) {
	case string, types.ObjectID:
		return []any{cond}, true

	case *types.Document:
		// Only an operator document; {_id: {a: 1}} is a literal sub-document.
		if cond.Len() == 0 {
			return nil, false
		}

		for _, k := range cond.Keys() {
			if !strings.HasPrefix(k, "$") {
				return nil, false
			}
		}

		if eq, found := uniqueValue(cond, "$eq"); found && isIndexableID(eq) {
			return []any{eq}, true
		}

		in, found := uniqueValue(cond, "$in")
		if !found {
			return nil, false
		}

		arr, isArray := in.(*types.Array)
		if !isArray || arr.Len() > idPushdownMaxValues {
			return nil, false
		}

		values = make([]any, arr.Len())
		for i := range values {
			values[i] = must.NotFail(arr.Get(i))

			// Numbers compare across types (1 == 1.0), regexes match patterns: leave those to Go.
			if !isIndexableID(values[i]) {
				return nil, false
			}
		}

		return values, true
	}

	return nil, false
}

// isIndexableID reports whether equality of v is equality of its stored SJSON text.
func isIndexableID(v any) bool {
	switch v.(type) {
	case string, types.ObjectID:
		return true
	default:
		return false
	}
}

// uniqueValue returns the value of key if it occurs exactly once in doc
// (Document.Get panics on duplicate keys).
func uniqueValue(doc *types.Document, key string) (value any, found bool) {
	keys, values := doc.Keys(), doc.Values()

	for i, k := range keys {
		if k != key {
			continue
		}

		if found {
			return nil, false
		}

		value, found = values[i], true
	}

	return value, found
}
