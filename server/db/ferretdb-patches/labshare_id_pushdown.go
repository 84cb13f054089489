// Added to FerretDB v1.24.2's SQLite backend by labshare's build (server/db/ferretdb-build.ts,
// see docs/database.md "Patched FerretDB"). Copied into
// vendor/github.com/FerretDB/FerretDB/internal/backends/sqlite/ before `go build`.

package sqlite

import (
	"fmt"
	"math"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// idPushdownMaxValues bounds the IN list well below SQLite's 32766 host parameters;
// a longer $in is not pushed down (all rows are read, as in stock FerretDB).
const idPushdownMaxValues = 10000

// maxExactNumber is 2^53: up to it, equal int32, int64 and float64 values have the same JSON text.
const maxExactNumber = 1 << 53

// prepareIDWhereClause returns a WHERE clause that keeps only the rows whose _id can satisfy the
// filter's top-level _id condition, so that SQLite reads them through the unique _id index:
// {_id: v}, {_id: {$eq: v}} or {_id: {$in: [v, ...]}} with string, ObjectId or number values, next
// to any other conditions (top-level conditions are AND-ed). The clause only narrows: the handler
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
		for _, text := range storedTexts(v) {
			if _, dup := seen[text]; dup {
				continue
			}

			seen[text] = struct{}{}
			placeholders = append(placeholders, "?")
			args = append(args, text)
		}
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

			// Regexes match patterns, dates, sub-documents…: leave the whole $in to Go.
			if !isIndexableID(values[i]) {
				return nil, false
			}
		}

		return values, true

	default:
		if isIndexableID(cond) {
			return []any{cond}, true
		}

		return nil, false
	}
}

// isIndexableID reports whether the documents whose _id equals v are exactly those whose stored
// _id has one of storedTexts(v). Numbers compare by value across types (5 == 5.0 == Long(5)); their
// JSON texts agree up to 2^53, where every integer is exact and Go prints doubles in full digits.
func isIndexableID(v any) bool {
	switch v := v.(type) {
	case string, types.ObjectID, int32:
		return true
	case int64:
		return v >= -maxExactNumber && v <= maxExactNumber
	case float64:
		return !math.IsNaN(v) && math.Abs(v) <= maxExactNumber
	default:
		return false
	}
}

// storedTexts returns the SJSON texts (as SQLite's -> returns them) of the _id values equal to v,
// an isIndexableID value: the same encoding the stored document uses, and both signs of zero.
func storedTexts(v any) []string {
	text := string(must.NotFail(sjson.MarshalSingleValue(v)))

	switch v := v.(type) {
	case int32:
		if v == 0 {
			return []string{text, "-0"}
		}
	case int64:
		if v == 0 {
			return []string{text, "-0"}
		}
	case float64:
		if v == 0 {
			return []string{"0", "-0"}
		}
	}

	return []string{text}
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
